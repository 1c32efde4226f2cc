package io.lvscp.api;

import org.springframework.data.domain.Pageable;

/** Bounds on page requests. */
public final class Paging {

    static final int MAX_SIZE = 500;

    private Paging() {
    }

    public static Pageable check(Pageable pageable) {
        if (pageable.getPageSize() > MAX_SIZE) {
            throw ApiException.invalid("size", "must be at most " + MAX_SIZE, pageable.getPageSize());
        }
        return pageable;
    }
}
