package io.lvscp.api;

import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/** Installs {@link ProblemErrorReportValve} as the host's error report valve, in place of Tomcat's HTML one. */
@Component
class ProblemErrorsTomcat implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
                for (Valve v : host.getPipeline().getValves()) {
                    if (v instanceof ErrorReportValve && !(v instanceof ProblemErrorReportValve)) {
                        host.getPipeline().removeValve(v);
                    }
                }
                host.getPipeline().addValve(new ProblemErrorReportValve());
            }
        });
    }

    /** After Spring Boot's own customizer (which may add Tomcat's plain ErrorReportValve). */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
