package org.jqmp.qapi.model;

import java.util.List;

/**
 * A union's branches: the discriminator (a mandatory, unconditional, enum-typed base member) and one branch
 * per enum value, in schema order followed by the implicit empty branches.
 */
public record Branches(Member discriminator, List<Variant> variants) {
    public Branches {
        variants = List.copyOf(variants);
    }
}
