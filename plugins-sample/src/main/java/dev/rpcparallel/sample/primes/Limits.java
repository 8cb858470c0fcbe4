package dev.rpcparallel.sample.primes;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the command line's number forms: {@code 100000000}, {@code 100_000_000}, {@code 1e8}, {@code 10^8}. */
public final class Limits {
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern SCIENTIFIC = Pattern.compile("[0-9]+(\\.[0-9]+)?[eE][0-9]+");
    private static final Pattern POWER = Pattern.compile("([0-9]+)\\^([0-9]+)");

    private Limits() {}

    /**
     * Parses a non-negative whole number of at most {@code max}.
     *
     * @throws IllegalArgumentException with a message fit for the user otherwise
     */
    public static long parse(String text, long max) {
        String s = text.strip().replace("_", "");
        BigInteger value;
        Matcher power = POWER.matcher(s);
        if (DIGITS.matcher(s).matches()) {
            value = new BigInteger(s);
        } else if (SCIENTIFIC.matcher(s).matches()) {
            BigDecimal decimal = new BigDecimal(s);
            if (decimal.compareTo(BigDecimal.valueOf(max)) > 0) {
                throw tooLarge(text, max);
            }
            if (decimal.stripTrailingZeros().scale() > 0) {
                throw new IllegalArgumentException("'" + text + "' is not a whole number");
            }
            value = decimal.toBigIntegerExact();
        } else if (power.matches()) {
            BigInteger base = new BigInteger(power.group(1));
            BigInteger exponent = new BigInteger(power.group(2));
            if (base.compareTo(BigInteger.ONE) > 0 && exponent.bitLength() > 7) {
                throw tooLarge(text, max); // 2^128 and up
            }
            value = base.compareTo(BigInteger.ONE) > 0
                    ? base.pow(exponent.intValueExact())
                    : base.signum() == 0 && exponent.signum() != 0 ? BigInteger.ZERO : BigInteger.ONE;
        } else {
            throw new IllegalArgumentException("'" + text + "' is not a number: use digits with optional '_'"
                    + " separators, or a form like 1e9 or 10^9");
        }
        if (value.compareTo(BigInteger.valueOf(max)) > 0) {
            throw tooLarge(text, max);
        }
        return value.longValueExact();
    }

    private static IllegalArgumentException tooLarge(String text, long max) {
        return new IllegalArgumentException("'" + text + "' is too large: the maximum is " + max);
    }
}
