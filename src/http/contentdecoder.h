#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <functional>
#include <memory>

namespace portolan::http {

// How far a compressed body may expand. A few kilobytes of gzip can decode to
// gigabytes (a decompression bomb): decoding stops at these bounds.
struct DecodeLimits {
    qint64 maxDecodedBytes = qint64(1) << 30;  // 1 GiB
    // Decoded bytes per compressed byte, checked once the body is past
    // `ratioCheckedFrom`: small bodies of repeated text compress far better, harmlessly.
    int maxRatio = 200;
    qint64 ratioCheckedFrom = 16 * 1024 * 1024;
};

// Decodes a gzip or deflate Content-Encoding as the bytes arrive, so a large
// compressed body never has to be held whole. Other codings pass through.
class ContentDecoder {
public:
    explicit ContentDecoder(const QByteArray &contentEncoding, const DecodeLimits &limits = {});
    ~ContentDecoder();
    ContentDecoder(const ContentDecoder &) = delete;
    ContentDecoder &operator=(const ContentDecoder &) = delete;

    // True for the codings this class decodes (gzip, x-gzip, deflate).
    bool decodes() const { return m_stream != nullptr; }
    // Hands the decoded bytes of the next piece of input to `sink`, in pieces
    // of at most 64 KiB, so memory stays bounded whatever the ratio. On
    // corrupt data error() is set and the rest is passed on undecoded; past
    // the limits error() and limitExceeded() are set and nothing more is passed.
    void feed(const QByteArray &input, const std::function<void(QByteArrayView)> &sink);
    QString error() const { return m_error; }
    bool limitExceeded() const { return m_limitExceeded; }

private:
    struct Stream;
    std::unique_ptr<Stream> m_stream;
    DecodeLimits m_limits;
    QByteArray m_coding;
    bool m_triedRawDeflate = false;
    bool m_limitExceeded = false;
    qint64 m_decoded = 0;
    qint64 m_received = 0;
    QString m_error;
};

} // namespace portolan::http
