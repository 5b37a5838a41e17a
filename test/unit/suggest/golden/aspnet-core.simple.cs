var builder = WebApplication.CreateBuilder(args);

builder.Services.AddCors(options =>
{
    options.AddPolicy("Frontend", policy => policy
        .WithOrigins("http://localhost:5173")
        .WithMethods("PUT")
        .WithHeaders("content-type")
        .SetPreflightMaxAge(TimeSpan.FromSeconds(600)));
});
builder.Services.AddControllers();

var app = builder.Build();

app.UseRouting();
app.UseCors("Frontend"); // after UseRouting, before UseAuthentication/UseAuthorization
app.UseAuthentication();
app.UseAuthorization();
app.MapControllers();

app.Run();
