package io.lvscp.support;

import io.lvscp.vrrp.node.VrrpNodeHandle;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/** The node's VRRP engine handed to a component built by hand in a test, as Spring hands it (an {@link ObjectProvider}). */
public final class TestVrrpNodes {

    private TestVrrpNodes() {
    }

    /** A provider that holds this node, under the bean name the service gives it ("vrrpNode"). */
    public static ObjectProvider<VrrpNodeHandle> provider(VrrpNodeHandle node) {
        return new StaticListableBeanFactory(Map.of("vrrpNode", node)).getBeanProvider(VrrpNodeHandle.class);
    }
}
