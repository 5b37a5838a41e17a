import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration
public class CorsConfig implements WebMvcConfigurer {

    @Override
    public void addCorsMappings(CorsRegistry registry) {
        registry.addMapping("/**")
                .allowedOrigins("http://localhost:5173", "https://admin.example.com")
                .allowedMethods("GET", "HEAD", "POST", "DELETE", "PATCH")
                .allowedHeaders("authorization", "content-type", "x-api-key")
                .exposedHeaders("x-request-id", "x-total-count")
                .allowCredentials(true)
                .maxAge(600);
    }
}
