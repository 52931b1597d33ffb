package dev.avatarfleet.api.launch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avatarfleet.common.http.ApiException;
import dev.avatarfleet.testkit.MultipartBody;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MultipartFormReaderTest {

    @Test
    void partsComeInOrderWithBinaryBodiesThatLookLikeBoundaries() throws Exception {
        byte[] tricky = "line\r\n--bound\r\n--boun\r--bou\n--boundary-not\r\n-".getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("preamble to ignore\r\n--boundary\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nfirst\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        body.writeBytes("--boundary\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x;y.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        body.writeBytes(tricky);
        body.writeBytes("\r\n--boundary--\r\nepilogue".getBytes(StandardCharsets.ISO_8859_1));
        MultipartFormReader reader = new MultipartFormReader(new ByteArrayInputStream(body.toByteArray()), "boundary");
        var a = reader.next().orElseThrow();
        assertEquals("a", a.name());
        assertNull(a.filename());
        assertEquals("first", new String(a.body().readAllBytes(), StandardCharsets.UTF_8));
        var f = reader.next().orElseThrow();
        assertEquals("f", f.name());
        assertEquals("x;y.jpg", f.filename());
        assertEquals("image/jpeg", f.contentType());
        assertArrayEquals(tricky, f.body().readAllBytes());
        assertTrue(reader.next().isEmpty());
    }

    @Test
    void unreadPartsAreSkipped() throws Exception {
        byte[] body = new MultipartBody("b").field("x", "skipped").field("y", "read").build();
        MultipartFormReader reader = new MultipartFormReader(new ByteArrayInputStream(body), "b");
        reader.next().orElseThrow();
        assertEquals("read", new String(reader.next().orElseThrow().body().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void boundaryParameterMayBeQuoted() {
        assertEquals("abc", MultipartFormReader.boundaryOf("multipart/form-data; boundary=\"abc\""));
        assertEquals("x-1", MultipartFormReader.boundaryOf("multipart/form-data;charset=utf-8; Boundary=x-1"));
        assertThrows(ApiException.class, () -> MultipartFormReader.boundaryOf("multipart/form-data"));
    }

    @Test
    void malformedBodiesAre400() {
        for (String body : new String[] {
                "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nno end",
                "--b\r\nno-colon-header\r\n\r\nv\r\n--b--",
                "--b\r\nContent-Disposition: attachment; name=\"x\"\r\n\r\nv\r\n--b--",
                "--b\r\nContent-Disposition: form-data\r\n\r\nv\r\n--b--",
                "--b\r\nContent-Disposition: form-data; name=\"" + "n".repeat(9000) + "\"\r\n\r\nv\r\n--b--"}) {
            MultipartFormReader reader = new MultipartFormReader(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), "b");
            ApiException e = assertThrows(ApiException.class, () -> {
                for (var p = reader.next(); p.isPresent(); p = reader.next()) {
                    p.get().body().readAllBytes();
                }
            }, body.length() > 80 ? body.substring(0, 80) : body);
            assertEquals(400, e.status().code());
        }
    }

    @Test
    void tooManyPartsAre400() {
        MultipartBody body = new MultipartBody("b");
        for (int i = 0; i <= MultipartFormReader.MAX_PARTS; i++) {
            body.field("p" + i, "v");
        }
        MultipartFormReader reader = new MultipartFormReader(new ByteArrayInputStream(body.build()), "b");
        assertThrows(ApiException.class, () -> {
            while (reader.next().isPresent()) {
                // read on
            }
        });
    }
}
