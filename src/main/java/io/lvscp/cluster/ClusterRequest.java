package io.lvscp.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Body of POST/PUT /api/v1/clusters. */
@JsonIgnoreProperties(value = {"id", "createdAt", "updatedAt"}, allowGetters = true)
public record ClusterRequest(String name, String description, Long version) {
}
