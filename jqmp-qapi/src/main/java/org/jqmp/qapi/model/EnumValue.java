package org.jqmp.qapi.model;

import java.util.List;

/** One value of an enum; its wire form is its name. */
public record EnumValue(String name, Condition condition, List<Feature> features) {
    public EnumValue {
        features = List.copyOf(features);
    }
}
