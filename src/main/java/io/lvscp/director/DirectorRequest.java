package io.lvscp.director;

import io.lvscp.api.PlainText;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Body of POST/PUT .../directors. */
@JsonIgnoreProperties(value = {"id", "cluster", "createdAt", "updatedAt"}, allowGetters = true)
public record DirectorRequest(@PlainText String nodeName, @PlainText String managementAddress, @PlainText String interfaceName, Long version) {
}
