package dev.rpcparallel.api.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a public type promises: whether applications and plugins may rely on it, and since when.
 *
 * <p>Every public type of the contract modules ({@code rpc-parallel-api} and
 * {@code rpc-parallel-spi}) carries it; a build test checks that, and that every public type in
 * a package named {@code internal} is marked {@link Status#INTERNAL}. Kept in the API itself,
 * not taken from a library, so that the contract modules depend on nothing but the JDK. Class
 * retention: visible to tools that read class files (API-compatibility checkers), free at run
 * time.
 */
@API(status = API.Status.STABLE, since = "0.1")
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.CONSTRUCTOR, ElementType.FIELD})
public @interface API {

    /** How stable the marked element is. */
    Status status();

    /** The release that introduced the element in its current status, such as {@code "0.1"}. */
    String since() default "";

    /** The promises, from none to the strongest. */
    enum Status {
        /**
         * For rpc-parallel's own modules only (a seam between its modules, or the inside of one):
         * applications and plugins must not use it; it changes in any release without notice.
         */
        INTERNAL,
        /**
         * Public and usable, but new: it may change, or go, in a minor release (noted in the
         * changelog).
         */
        EXPERIMENTAL,
        /**
         * The contract applications and plugins are written against: incompatible changes only in
         * a major release, after a deprecation.
         */
        STABLE
    }
}
