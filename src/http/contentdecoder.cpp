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

QString megabytes(qint64 bytes)
{
    return QString::number(double(bytes) / (1024 * 1024), 'f', 1) + QStringLiteral(" MB");
}
} // namespace

ContentDecoder::ContentDecoder(const QByteArray &contentEncoding, const DecodeLimits &limits)
    : m_limits(limits), m_coding(contentEncoding.trimmed().toLower())
{
    if (m_coding != "gzip" && m_coding != "x-gzip" && m_coding != "deflate")
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

void ContentDecoder::feed(const QByteArray &input, const std::function<void(QByteArrayView)> &sink)
{
    if (m_limitExceeded)
        return;
    if (!m_stream || !m_error.isEmpty()) {
        sink(input);  // not a coding we decode, or corrupt: keep the bytes as they came
        return;
    }
    if (m_stream->finished)
        return;  // trailing bytes after the end of the stream carry nothing
    m_received += input.size();
    z_stream &z = m_stream->z;
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(input.constData()));
    z.avail_in = uInt(input.size());
    char buffer[64 * 1024];
    do {  // until the input is used up and zlib has no output left
        z.next_out = reinterpret_cast<Bytef *>(buffer);
        z.avail_out = sizeof buffer;
        const int rc = inflate(&z, Z_NO_FLUSH);
        qsizetype produced = qsizetype(sizeof buffer - z.avail_out);
        // Bounds first: what is past them is never handed on.
        if (m_decoded + produced > m_limits.maxDecodedBytes) {
            m_limitExceeded = true;
            produced = qsizetype(m_limits.maxDecodedBytes - m_decoded);
            m_error = QStringLiteral("the %1 body decodes to more than %2, the limit for decoded bodies; "
                                     "decoding stopped there and the first %2 are kept")
                          .arg(QString::fromLatin1(m_coding), megabytes(m_limits.maxDecodedBytes));
        } else if (m_decoded + produced > m_limits.ratioCheckedFrom
                   && m_decoded + produced > qint64(m_limits.maxRatio) * m_received) {
            m_limitExceeded = true;
            m_error = QStringLiteral("the %1 body expands more than %2 times (%3 decoded from %4 received): "
                                     "a decompression bomb? Decoding stopped and the first %3 are kept")
                          .arg(QString::fromLatin1(m_coding)).arg(m_limits.maxRatio)
                          .arg(megabytes(m_decoded + produced), megabytes(m_received));
        }
        m_decoded += produced;
        if (produced > 0)
            sink(QByteArrayView(buffer, produced));
        if (m_limitExceeded)
            return;
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
            sink(QByteArrayView(reinterpret_cast<const char *>(z.next_in), qsizetype(z.avail_in)));
            break;
        }
        if (rc == Z_BUF_ERROR && z.avail_out != 0)
            break;
    } while (z.avail_in > 0 || z.avail_out == 0);
}

} // namespace portolan::http
