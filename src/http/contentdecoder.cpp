#include "contentdecoder.h"

#include <zlib.h>

namespace portolan::http {

struct ContentDecoder::Stream {
    z_stream z{};
    bool finished = false;
};

namespace {
constexpr int kAutoGzipOrZlib = 15 + 32;  // zlib detects a gzip or zlib header itself
constexpr int kRawDeflate = -15;          // some servers send "deflate" without the zlib header
} // namespace

ContentDecoder::ContentDecoder(const QByteArray &contentEncoding)
{
    const QByteArray coding = contentEncoding.trimmed().toLower();
    if (coding != "gzip" && coding != "x-gzip" && coding != "deflate")
        return;
    m_stream = std::make_unique<Stream>();
    if (inflateInit2(&m_stream->z, kAutoGzipOrZlib) != Z_OK)
        m_stream.reset();
}

ContentDecoder::~ContentDecoder()
{
    if (m_stream)
        inflateEnd(&m_stream->z);
}

QByteArray ContentDecoder::feed(const QByteArray &input)
{
    if (!m_stream || !m_error.isEmpty())
        return input;  // not a coding we decode, or corrupt: keep the bytes as they came
    if (m_stream->finished)
        return {};     // trailing bytes after the end of the stream carry nothing
    QByteArray out;
    z_stream &z = m_stream->z;
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(input.constData()));
    z.avail_in = uInt(input.size());
    char buffer[64 * 1024];
    while (z.avail_in > 0) {
        z.next_out = reinterpret_cast<Bytef *>(buffer);
        z.avail_out = sizeof buffer;
        const int rc = inflate(&z, Z_NO_FLUSH);
        out.append(buffer, qsizetype(sizeof buffer - z.avail_out));
        if (rc == Z_STREAM_END) {
            m_stream->finished = true;
            break;
        }
        if (rc == Z_DATA_ERROR && !m_triedRawDeflate && z.total_out == 0) {
            // Retry the same bytes as a raw deflate stream.
            m_triedRawDeflate = true;
            inflateEnd(&z);
            z = z_stream{};
            inflateInit2(&z, kRawDeflate);
            z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(input.constData()));
            z.avail_in = uInt(input.size());
            continue;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            m_error = QStringLiteral("the %1 body is corrupt: %2")
                          .arg(QStringLiteral("compressed"), QString::fromLatin1(z.msg ? z.msg : "inflate failed"));
            out.append(reinterpret_cast<const char *>(z.next_in), qsizetype(z.avail_in));
            break;
        }
        if (rc == Z_BUF_ERROR && z.avail_out != 0)
            break;
    }
    return out;
}

} // namespace portolan::http
