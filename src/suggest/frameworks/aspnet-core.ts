// ASP.NET Core: a named CORS policy in Program.cs (minimal hosting model, .NET 6+).
import type { OriginPolicy } from '../policy';
import { DUPLICATE_LAYER_APP, dq, hasChange, safePolicy, type FrameworkRenderer } from './common';

export const aspnetCore: FrameworkRenderer = {
  id: 'aspnet-core',
  label: 'ASP.NET Core (AddCors)',
  targetVersion: 'ASP.NET Core 6 – 9',
  language: 'csharp',
  defaults: "WithMethods/WithHeaders replace ASP.NET Core's empty defaults; the lists below are complete.",
  render(policy: OriginPolicy) {
    const { p, warnings } = safePolicy(policy);
    const args = (xs: string[]) => xs.map(dq).join(', ');
    const chain = [`.WithOrigins(${args(p.allowOrigins)})`];
    // Without WithMethods/WithHeaders no ACAM/ACAH is sent, which is right when none is needed.
    if (p.methods.length) chain.push(`.WithMethods(${args(p.methods)})`);
    if (p.requestHeaders.length) chain.push(`.WithHeaders(${args(p.requestHeaders)})`);
    if (p.exposeHeaders.length) chain.push(`.WithExposedHeaders(${args(p.exposeHeaders)})`);
    if (p.credentials) chain.push('.AllowCredentials()');
    chain.push(`.SetPreflightMaxAge(TimeSpan.FromSeconds(${p.maxAge}))`);
    chain[chain.length - 1] += ');';
    const code = [
      'var builder = WebApplication.CreateBuilder(args);',
      '',
      'builder.Services.AddCors(options =>',
      '{',
      '    options.AddPolicy("Frontend", policy => policy',
      ...chain.map((c) => `        ${c}`),
      '});',
      'builder.Services.AddControllers();',
      '',
      'var app = builder.Build();',
      '',
      'app.UseRouting();',
      'app.UseCors("Frontend"); // after UseRouting, before UseAuthentication/UseAuthorization',
      'app.UseAuthentication();',
      'app.UseAuthorization();',
      'app.MapControllers();',
      '',
      'app.Run();',
      '',
    ].join('\n');
    warnings.push(
      'UseCors must come after UseRouting and before UseAuthentication/UseAuthorization/UseResponseCaching, or preflights hit auth first.',
    );
    if (p.allowOrigins.length === 1)
      warnings.push('With a single origin ASP.NET Core sends no Vary: Origin; add it if a shared cache sits in front.');
    if (hasChange(p, 'remove-duplicate-layer')) warnings.push(DUPLICATE_LAYER_APP);
    return { code, filename: 'Program.cs', warnings };
  },
};
