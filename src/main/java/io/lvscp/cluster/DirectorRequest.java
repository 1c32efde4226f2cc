package io.lvscp.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Body of POST/PUT .../directors. */
@JsonIgnoreProperties(value = {"id", "cluster", "createdAt", "updatedAt"}, allowGetters = true)
public record DirectorRequest(String nodeName, String managementAddress, String interfaceName, Long version) {
}
