package io.lvscp.web;

import io.lvscp.api.ApiException;
import io.lvscp.api.FieldError;
import io.lvscp.realserver.RealServerRequest;
import io.lvscp.realserver.RealServerResponse;
import io.lvscp.realserver.RealServerService;
import io.lvscp.virtualserver.VirtualServerResponse;
import io.lvscp.virtualserver.VirtualServerService;
import io.lvscp.common.Addresses;
import io.lvscp.common.CheckType;
import io.lvscp.common.RealServerState;
import io.lvscp.common.WireNamed;
import java.util.Locale;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.servlet.view.RedirectView;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The add-real-server form. A refused request shows the service's reasons next to
 * the inputs they concern, with what the user typed (400, or 409 for a clash with a
 * stored real server); an accepted one redirects to the cluster page (Post/Redirect/Get).
 */
@Controller
class RealServerFormController {

    static final String PATH = "/ui/clusters/{cluster}/virtual-servers/{vs}/real-servers/new";

    private final VirtualServerService virtualServers;
    private final RealServerService realServers;

    RealServerFormController(VirtualServerService virtualServers, RealServerService realServers) {
        this.virtualServers = virtualServers;
        this.realServers = realServers;
    }

    @GetMapping(PATH)
    ModelAndView form(@PathVariable String cluster, @PathVariable long vs, @RequestParam(required = false) String page) {
        RealServerForm form = new RealServerForm();
        form.setReturnPage(page);
        return show(virtualServers.get(cluster, vs), form, new FormErrors(), HttpStatus.OK);
    }

    @PostMapping(PATH)
    ModelAndView create(@PathVariable String cluster, @PathVariable long vs, @ModelAttribute("form") RealServerForm form,
            RedirectAttributes redirect) {
        VirtualServerResponse v = virtualServers.get(cluster, vs);
        FormErrors errors = new FormErrors();
        RealServerRequest request = form.toRequest(errors);
        if (!errors.isEmpty()) {
            return show(v, form, errors, HttpStatus.BAD_REQUEST);
        }
        RealServerResponse created;
        try {
            created = realServers.create(cluster, vs, request);
        } catch (ApiException e) {
            if (e.status() == HttpStatus.NOT_FOUND) {
                throw e;
            }
            e.errors().forEach(errors::add);
            if (e.errors().isEmpty()) {
                errors.addGeneral(e.getMessage());
            }
            return show(v, form, errors, e.status());
        } catch (DataIntegrityViolationException e) {
            // two users adding the same real server at once: the unique key caught the second
            String cause = String.valueOf(e.getMostSpecificCause().getMessage()).toLowerCase(Locale.ROOT);
            if (cause.contains("uk_real_server_endpoint")) {
                errors.add(new FieldError("address", "this real server is already in the virtual server"));
            } else {
                errors.addGeneral("the change conflicts with stored data; reload the cluster page and retry");
            }
            return show(v, form, errors, HttpStatus.CONFLICT);
        }
        String endpoint = Addresses.hostPort(created.address(), created.port());
        redirect.addFlashAttribute("flash", "Added real server " + endpoint + " to " + v.label() + ".");
        redirect.addFlashAttribute("addedRealServer", created.id());
        String url = UriComponentsBuilder.fromPath("/ui/clusters/{cluster}")
                .queryParam("page", form.returnPageNumber())
                .fragment("rs-" + created.id())
                .buildAndExpand(v.cluster()).encode().toUriString();
        RedirectView view = new RedirectView(url, true);
        view.setStatusCode(HttpStatus.SEE_OTHER);
        view.setExpandUriTemplateVariables(false);
        view.setExposeModelAttributes(false);
        return new ModelAndView(view);
    }

    private static ModelAndView show(VirtualServerResponse vs, RealServerForm form, FormErrors errors, HttpStatus status) {
        ModelAndView mav = new ModelAndView("ui/real-server-form", status);
        mav.addObject("vs", vs);
        mav.addObject("form", form);
        mav.addObject("errors", errors.byInput());
        mav.addObject("errorSummary", errors.summary());
        mav.addObject("states", WireNamed.names(RealServerState.class));
        mav.addObject("checkTypes", WireNamed.names(CheckType.class));
        mav.addObject("fixedPort", vs.fwmark() == null && !"NAT".equals(vs.forwarding().toUpperCase(Locale.ROOT)));
        return mav;
    }
}
