package io.lvscp.web;

import io.lvscp.api.ApiException;
import io.lvscp.api.Versions;
import io.lvscp.realserver.RealServerResponse;
import io.lvscp.realserver.RealServerService;
import io.lvscp.virtualserver.VirtualServerResponse;
import io.lvscp.virtualserver.VirtualServerService;
import io.lvscp.common.Addresses;
import io.lvscp.common.RealServerState;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.servlet.view.RedirectView;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The console's actions on one real server, through the same service as the API (so the event log
 * names the user): drain, disable, enable (operator), change the weight and remove (admin, as in the
 * API). Removal takes a confirmation page, which works without JavaScript; a POST without the
 * confirmation shows that page instead of removing. Each accepted action redirects back to the
 * cluster's page (Post/Redirect/Get) with a message.
 */
@Controller
class RealServerActionsController {

    static final String BASE = "/ui/clusters/{cluster}/virtual-servers/{vs}/real-servers/{id}";

    private final VirtualServerService virtualServers;
    private final RealServerService realServers;

    RealServerActionsController(VirtualServerService virtualServers, RealServerService realServers) {
        this.virtualServers = virtualServers;
        this.realServers = realServers;
    }

    @PostMapping(BASE + "/drain")
    ModelAndView drain(@PathVariable String cluster, @PathVariable long vs, @PathVariable long id, @RequestParam(required = false) String page,
            RedirectAttributes redirect) {
        return state(cluster, vs, id, RealServerState.DRAINING, page, redirect, "Draining");
    }

    @PostMapping(BASE + "/disable")
    ModelAndView disable(@PathVariable String cluster, @PathVariable long vs, @PathVariable long id,
            @RequestParam(required = false) String page, RedirectAttributes redirect) {
        return state(cluster, vs, id, RealServerState.DISABLED, page, redirect, "Disabled");
    }

    @PostMapping(BASE + "/enable")
    ModelAndView enable(@PathVariable String cluster, @PathVariable long vs, @PathVariable long id, @RequestParam(required = false) String page,
            RedirectAttributes redirect) {
        return state(cluster, vs, id, RealServerState.ENABLED, page, redirect, "Enabled");
    }

    private ModelAndView state(String cluster, long vs, long id, RealServerState state, String page, RedirectAttributes redirect, String verb) {
        VirtualServerResponse v = virtualServers.get(cluster, vs);
        RealServerResponse r = realServers.setState(cluster, vs, id, state, null);
        String endpoint = Addresses.hostPort(r.address(), r.port());
        String more = state == RealServerState.DRAINING
                ? ": no new connections; it leaves IPVS on each director when its connections end (progress in its row)" : "";
        redirect.addFlashAttribute("flash", verb + " real server " + endpoint + " of " + v.label() + more + ".");
        return back(v.cluster(), page, "rs-" + id);
    }

    @GetMapping(BASE + "/weight")
    ModelAndView weightForm(@PathVariable String cluster, @PathVariable long vs, @PathVariable long id,
            @RequestParam(required = false) String page) {
        RealServerResponse r = realServers.get(cluster, vs, id);
        return weightPage(virtualServers.get(cluster, vs), r, String.valueOf(r.weight()), String.valueOf(r.version()), page, null,
                HttpStatus.OK);
    }

    @PostMapping(BASE + "/weight")
    ModelAndView weight(@PathVariable String cluster, @PathVariable long vs, @PathVariable long id, @RequestParam(required = false) String weight,
            @RequestParam(required = false) String version, @RequestParam(required = false) String page, RedirectAttributes redirect) {
        VirtualServerResponse v = virtualServers.get(cluster, vs);
        RealServerResponse r = realServers.get(cluster, vs, id);
        String typed = weight == null ? "" : weight.trim();
        if (!typed.matches("[0-9]{1,9}")) {
            return weightPage(v, r, typed, version, page, "'" + typed + "' is not a whole number from 0 to 65535", HttpStatus.BAD_REQUEST);
        }
        String ifMatch = version != null && version.matches("[0-9]{1,18}") ? Versions.etag(Long.parseLong(version)) : null;
        RealServerResponse after;
        try {
            after = realServers.patch(cluster, vs, id, Map.of("weight", Integer.parseInt(typed)), ifMatch);
        } catch (ApiException e) {
            if (e.status() == HttpStatus.NOT_FOUND) {
                throw e;
            }
            String why = e.status() == HttpStatus.PRECONDITION_FAILED
                    ? "someone changed this real server since this form was opened (its weight is now " + r.weight()
                            + "): check the value and send again"
                    : e.errors().isEmpty() ? e.getMessage() : e.errors().get(0).reason();
            HttpStatus status = e.status() == HttpStatus.PRECONDITION_FAILED ? HttpStatus.CONFLICT : e.status();
            return weightPage(v, r, typed, String.valueOf(r.version()), page, why, status);
        }
        redirect.addFlashAttribute("flash", "Weight of " + Addresses.hostPort(after.address(), after.port()) + " is now " + after.weight() + ".");
        return back(v.cluster(), page, "rs-" + id);
    }

    private static ModelAndView weightPage(VirtualServerResponse vs, RealServerResponse r, String weight, String version, String page,
            String error, HttpStatus status) {
        ModelAndView mav = new ModelAndView("ui/real-server-weight", status);
        mav.addObject("vs", vs);
        mav.addObject("rs", r);
        mav.addObject("endpoint", Addresses.hostPort(r.address(), r.port()));
        mav.addObject("weight", weight);
        mav.addObject("version", version);
        mav.addObject("returnPage", page);
        mav.addObject("error", error);
        return mav;
    }

    @GetMapping(BASE + "/remove")
    ModelAndView removeForm(@PathVariable String cluster, @PathVariable long vs, @PathVariable long id,
            @RequestParam(required = false) String page) {
        return removePage(virtualServers.get(cluster, vs), realServers.get(cluster, vs, id), page, HttpStatus.OK);
    }

    /** Removes only with {@code confirm=yes} (sent by the confirmation page's button); anything else shows that page. */
    @PostMapping(BASE + "/remove")
    ModelAndView remove(@PathVariable String cluster, @PathVariable long vs, @PathVariable long id,
            @RequestParam(required = false) String confirm, @RequestParam(required = false) String page, RedirectAttributes redirect) {
        VirtualServerResponse v = virtualServers.get(cluster, vs);
        RealServerResponse r = realServers.get(cluster, vs, id);
        if (!"yes".equals(confirm)) {
            return removePage(v, r, page, HttpStatus.BAD_REQUEST);
        }
        realServers.delete(cluster, vs, id);
        redirect.addFlashAttribute("flash", "Removed real server " + Addresses.hostPort(r.address(), r.port()) + " from " + v.label() + ".");
        return back(v.cluster(), page, "vs-" + vs);
    }

    private static ModelAndView removePage(VirtualServerResponse vs, RealServerResponse r, String page, HttpStatus status) {
        ModelAndView mav = new ModelAndView("ui/real-server-remove", status);
        mav.addObject("vs", vs);
        mav.addObject("rs", r);
        mav.addObject("endpoint", Addresses.hostPort(r.address(), r.port()));
        mav.addObject("returnPage", page);
        return mav;
    }

    private static ModelAndView back(String cluster, String page, String fragment) {
        int number = page != null && page.matches("[0-9]{1,6}") ? Math.max(Integer.parseInt(page), 1) : 1;
        String url = UriComponentsBuilder.fromPath("/ui/clusters/{cluster}").queryParam("page", number).fragment(fragment)
                .buildAndExpand(cluster).encode().toUriString();
        RedirectView view = new RedirectView(url, true);
        view.setStatusCode(HttpStatus.SEE_OTHER);
        view.setExpandUriTemplateVariables(false);
        view.setExposeModelAttributes(false);
        return new ModelAndView(view);
    }
}
