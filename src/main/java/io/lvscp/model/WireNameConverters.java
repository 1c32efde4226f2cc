package io.lvscp.model;

import io.lvscp.common.CheckType;
import io.lvscp.common.RealServerState;
import io.lvscp.common.Scheduler;
import io.lvscp.common.WireNamed;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores enums by their wire names ("rr", "enabled"), so the database reads like ipvsadm. */
final class WireNameConverters {

    private WireNameConverters() {
    }

    abstract static class Base<E extends Enum<E> & WireNamed> implements AttributeConverter<E, String> {
        private final Class<E> type;

        Base(Class<E> type) {
            this.type = type;
        }

        @Override
        public String convertToDatabaseColumn(E value) {
            return value == null ? null : value.wireName();
        }

        @Override
        public E convertToEntityAttribute(String db) {
            return db == null ? null : WireNamed.parse(type, db);
        }
    }

    @Converter
    static class SchedulerConverter extends Base<Scheduler> {
        SchedulerConverter() {
            super(Scheduler.class);
        }
    }

    @Converter
    static class StateConverter extends Base<RealServerState> {
        StateConverter() {
            super(RealServerState.class);
        }
    }

    @Converter
    static class CheckTypeConverter extends Base<CheckType> {
        CheckTypeConverter() {
            super(CheckType.class);
        }
    }
}
