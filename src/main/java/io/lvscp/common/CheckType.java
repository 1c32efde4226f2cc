package io.lvscp.common;

/** Health check kinds, named as in keepalived.conf. */
public enum CheckType implements WireNamed {
    NONE, HTTP_GET, SSL_GET, TCP_CHECK, MISC_CHECK;

    @Override
    public String wireName() {
        return name();
    }

    public boolean isHttp() {
        return this == HTTP_GET || this == SSL_GET;
    }
}
