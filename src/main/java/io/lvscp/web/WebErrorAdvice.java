package io.lvscp.web;

import io.lvscp.api.ApiException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.ModelAndView;

/**
 * Refusals of the web pages as HTML pages, not as the JSON problem details of the
 * API: this advice covers only the controllers of this package and comes first.
 */
@ControllerAdvice(basePackageClasses = WebErrorAdvice.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class WebErrorAdvice {

    @ExceptionHandler(ApiException.class)
    ModelAndView api(ApiException e) {
        return page(e.status(), e.getMessage());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ModelAndView typeMismatch(MethodArgumentTypeMismatchException e) {
        Class<?> type = e.getRequiredType();
        boolean number = type != null && (Number.class.isAssignableFrom(type) || type == int.class || type == long.class);
        return page(HttpStatus.BAD_REQUEST, e.getName() + ": '" + e.getValue() + "' is not " + (number ? "a whole number" : "valid"));
    }

    /** The same page and model as Spring Boot's error view ("error.html"). */
    private static ModelAndView page(HttpStatus status, String message) {
        ModelAndView mav = new ModelAndView("error", status);
        mav.addObject("status", status.value());
        mav.addObject("error", status.getReasonPhrase());
        mav.addObject("message", message);
        return mav;
    }
}
