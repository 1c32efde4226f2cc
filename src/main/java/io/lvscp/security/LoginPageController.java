package io.lvscp.security;

import java.security.Principal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.RequestParam;

/** The sign-in page of the web UI (Spring Security's form login handles the POST). */
@Controller
class LoginPageController {

    @GetMapping("/login")
    String login(@RequestParam(required = false) String error, @RequestParam(required = false) String locked,
            @RequestParam(required = false) String logout, Model model) {
        model.addAttribute("loginError", error != null);
        model.addAttribute("loginLocked", locked != null);
        model.addAttribute("loggedOut", logout != null);
        return "login";
    }

    /** Every page's header shows who is signed in, with a sign-out button. */
    @ControllerAdvice(annotations = Controller.class)
    static class SignedInUser {
        @ModelAttribute("signedInAs")
        String signedInAs(Principal principal) {
            return principal == null ? null : principal.getName();
        }
    }
}
