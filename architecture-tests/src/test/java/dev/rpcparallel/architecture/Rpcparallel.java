package dev.rpcparallel.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.PackageMatchers;

/** Predicates over rpc-parallel's own classes. */
final class Rpcparallel {
    private Rpcparallel() {}

    /** Classes of rpc-parallel ({@code dev.rpcparallel..}) outside the given packages. */
    static DescribedPredicate<JavaClass> outside(String... packages) {
        PackageMatchers allowed = PackageMatchers.of(packages);
        return DescribedPredicate.describe(
                "are rpc-parallel classes outside " + String.join(", ", packages),
                type -> type.getPackageName().startsWith("dev.rpcparallel")
                        && !allowed.test(type.getPackageName()));
    }
}
