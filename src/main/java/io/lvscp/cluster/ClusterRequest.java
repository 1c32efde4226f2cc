package io.lvscp.cluster;

import io.lvscp.api.PlainText;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Body of POST/PUT /api/v1/clusters. */
@JsonIgnoreProperties(value = {"id", "createdAt", "updatedAt"}, allowGetters = true)
public record ClusterRequest(@PlainText String name, @PlainText String description, Long version) {
}
