package org.arca.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP Accept header (RFC 9110 12.5.1) as media ranges in the client's order of preference: highest q first,
 * the header's own order among equals. Ranges with q=0 are "not acceptable" and left out. Parameter values may
 * be quoted (commas and semicolons inside quotes belong to the value); type, subtype and parameter names are
 * compared lowercase, parameter values as sent.
 */
record AcceptHeader(List<MediaRange> ranges) {

    /** One media range: {@code type} is "type/subtype" lowercase, e.g. "multipart/related" or "*&#47;*". */
    record MediaRange(String type, Map<String, String> parameters, double q) {
        String parameter(String name) {
            return parameters.get(name);
        }

        /** True when this range names {@code concrete} exactly or through a wildcard ("image/*", "*&#47;*"). */
        boolean covers(String concrete) {
            return AcceptHeader.covers(type, concrete);
        }
    }

    /** The header's ranges; an absent or blank header accepts anything ("*&#47;*"). */
    static AcceptHeader parse(String header) {
        if (header == null || header.isBlank()) {
            return new AcceptHeader(List.of(new MediaRange("*/*", Map.of(), 1)));
        }
        List<MediaRange> ranges = new ArrayList<>();
        for (String range : split(header, ',')) {
            List<String> parts = split(range, ';');
            String type = parts.get(0).strip().toLowerCase(Locale.ROOT);
            if (type.isEmpty()) {
                continue;
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            double q = 1;
            for (String parameter : parts.subList(1, parts.size())) {
                int eq = parameter.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String name = parameter.substring(0, eq).strip().toLowerCase(Locale.ROOT);
                String value = unquote(parameter.substring(eq + 1).strip());
                if (name.equals("q")) {
                    q = quality(value);
                } else {
                    parameters.put(name, value);
                }
            }
            if (q > 0) {
                ranges.add(new MediaRange(type, Map.copyOf(parameters), q));
            }
        }
        ranges.sort(Comparator.comparingDouble(MediaRange::q).reversed());
        return new AcceptHeader(List.copyOf(ranges));
    }

    /** True when {@code range} ("image/*", "*&#47;*" or a full type) includes the media type {@code concrete}. */
    static boolean covers(String range, String concrete) {
        String r = range.toLowerCase(Locale.ROOT);
        String c = concrete.toLowerCase(Locale.ROOT);
        if (r.equals("*/*") || r.equals("*")) {
            return true;
        }
        if (r.endsWith("/*")) {
            return c.startsWith(r.substring(0, r.length() - 1));
        }
        return r.equals(c);
    }

    /** A q value (RFC 9110 12.4.2): 0 to 1; anything unreadable counts as 1, as if it were absent. */
    private static double quality(String value) {
        try {
            double q = Double.parseDouble(value);
            return Double.isNaN(q) ? 1 : Math.max(0, Math.min(1, q));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return value;
    }

    /** Splits on {@code separator} outside double quotes. */
    private static List<String> split(String text, char separator) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' && (i == 0 || text.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            }
            if (c == separator && !quoted) {
                out.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        out.add(current.toString());
        return out;
    }
}
