package dev.avatarfleet.api.http;

import dev.avatarfleet.common.http.ApiException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A JSON reader for input from outside (launch bodies, token parts), bounded while it parses:
 * nesting depth, name and number lengths, the number of tokens, the document's length, and no
 * duplicate names. A body over a bound is a 400 naming the bound, never a deep recursion, a
 * quadratic number parse or a map of a million fields.
 */
public final class UntrustedJson {
    /** Deepest nesting accepted (a launch body is one flat object, a token payload three levels). */
    public static final int MAX_DEPTH = 16;
    /** Longest field name. */
    public static final int MAX_NAME_CHARS = 256;
    /** Longest number literal. */
    public static final int MAX_NUMBER_CHARS = 64;
    /** Most tokens (names, values, brackets) in one document. */
    public static final int MAX_TOKENS = 10_000;

    private final ObjectReader reader;
    private final String what;

    /**
     * @param maxDocumentChars longest document; also the longest string value (finer bounds are the caller's)
     * @param what             what the document is, for reasons ("request body", "livekit_token payload")
     */
    public UntrustedJson(long maxDocumentChars, String what) {
        int longest = (int) Math.min(Integer.MAX_VALUE, maxDocumentChars);
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_DEPTH)
                        .maxNameLength(MAX_NAME_CHARS)
                        .maxNumberLength(MAX_NUMBER_CHARS)
                        .maxTokenCount(MAX_TOKENS)
                        .maxStringLength(longest)
                        .maxDocumentLength(maxDocumentChars)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.reader = new ObjectMapper(factory).reader();
        this.what = what;
    }

    /** Parses {@code in}; throws 400 when it is not JSON or is over a bound. */
    public JsonNode read(InputStream in) throws IOException {
        try {
            return reader.readTree(in);
        } catch (JsonProcessingException e) {
            throw refusal(e);
        } catch (CharConversionException e) {
            // why: Jackson guesses UTF-16/32 from the first bytes and throws this (not a parse error) on an odd byte
            // order; found by JsonLaunchFuzzTest (crash-be8df029...), it was a 500
            throw ApiException.badRequest(what + " is not valid JSON: not UTF-8, UTF-16 or UTF-32 text");
        }
    }

    /** Parses {@code text}; throws 400 when it is not JSON or is over a bound. */
    public JsonNode read(String text) {
        try {
            return reader.readTree(text);
        } catch (JsonProcessingException e) {
            throw refusal(e);
        }
    }

    private ApiException refusal(JsonProcessingException e) {
        if (e instanceof StreamConstraintsException) {
            return ApiException.badRequest(what + " is over a JSON limit: " + clean(e.getOriginalMessage()));
        }
        return ApiException.badRequest(what + " is not valid JSON: " + clean(e.getOriginalMessage()));
    }

    /** why: Jackson's messages quote the input and name its own classes; keep the first sentence, short and plain. */
    private static String clean(String message) {
        String m = message == null ? "malformed" : message;
        int from = m.indexOf(", from `");
        if (from > 0) {
            m = m.substring(0, from) + ")";
        }
        int newline = m.indexOf('\n');
        if (newline > 0) {
            m = m.substring(0, newline);
        }
        m = m.replaceAll("\\p{Cntrl}", "?");
        return m.length() <= 160 ? m : m.substring(0, 157) + "...";
    }
}
