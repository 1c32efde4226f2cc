package io.lvscp.security;

import io.lvscp.common.WireNamed;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores roles by their wire names ("viewer", "operator", "admin"). */
@Converter
class RoleConverter implements AttributeConverter<Role, String> {

    @Override
    public String convertToDatabaseColumn(Role value) {
        return value == null ? null : value.wireName();
    }

    @Override
    public Role convertToEntityAttribute(String db) {
        return db == null ? null : WireNamed.parse(Role.class, db);
    }
}
