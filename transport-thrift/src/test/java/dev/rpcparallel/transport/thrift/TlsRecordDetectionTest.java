package dev.rpcparallel.transport.thrift;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.junit.jupiter.api.Test;

/** A peer speaking TLS to a plain channel is named as such, not as an oversized frame. */
class TlsRecordDetectionTest {

    @Test
    void theFirstBytesOfARealTlsClientHelloAreATlsRecord() throws Exception {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine("localhost", 443);
        engine.setUseClientMode(true);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        byte[] header = Arrays.copyOf(out.array(), 4);

        assertThat(ThriftFrameCodec.looksLikeTlsRecord(header)).isTrue();
    }

    @Test
    void aTlsAlertIsATlsRecord() {
        // alert (21), TLS 1.2 (3.3), length 2: what a TLS server answers to plain bytes
        assertThat(ThriftFrameCodec.looksLikeTlsRecord(new byte[] {21, 3, 3, 0})).isTrue();
    }

    @Test
    void frameLengthsAreNot() {
        byte[] header = new byte[4];
        for (int size : new int[] {0, 1, 16_384, 64 << 20, Integer.MAX_VALUE, -1}) {
            TFramedTransport.encodeFrameSize(size, header);
            assertThat(ThriftFrameCodec.looksLikeTlsRecord(header)).as("frame size %d", size).isFalse();
        }
    }
}
