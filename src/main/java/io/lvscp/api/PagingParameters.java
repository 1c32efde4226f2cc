package io.lvscp.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * {@code page} and {@code size} of every list in the API are checked before the list is read: a
 * value that is not a whole number, a negative page or a size outside 1..{@value #MAX_SIZE} is a
 * 400 naming the parameter (Spring Data would quietly fall back to its defaults).
 */
@Configuration(proxyBeanMethods = false)
public class PagingParameters implements WebMvcConfigurer, HandlerInterceptor {

    public static final int MAX_SIZE = 500;

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/api/**");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        FieldErrors errors = new FieldErrors();
        check(errors, "page", request.getParameterValues("page"), 0, Integer.MAX_VALUE);
        check(errors, "size", request.getParameterValues("size"), 1, MAX_SIZE);
        errors.throwIfAny();
        return true;
    }

    private static void check(FieldErrors errors, String name, String[] values, int min, int max) {
        if (values == null) {
            return;
        }
        if (values.length > 1) {
            errors.add(name, "is given " + values.length + " times; give it once", String.join(",", values));
            return;
        }
        String v = values[0];
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            errors.add(name, "'" + v + "' is not a whole number", v);
            return;
        }
        if (n < min || n > max) {
            errors.add(name, max == Integer.MAX_VALUE ? "must be at least " + min : "must be between " + min + " and " + max, v);
        }
    }
}
