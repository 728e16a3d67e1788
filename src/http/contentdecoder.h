#pragma once

#include <QByteArray>
#include <QString>

#include <memory>

namespace portolan::http {

// Decodes a gzip or deflate Content-Encoding as the bytes arrive, so a large
// compressed body never has to be held whole. Other codings pass through.
class ContentDecoder {
public:
    explicit ContentDecoder(const QByteArray &contentEncoding);
    ~ContentDecoder();
    ContentDecoder(const ContentDecoder &) = delete;
    ContentDecoder &operator=(const ContentDecoder &) = delete;

    // True for the codings this class decodes (gzip, x-gzip, deflate).
    bool decodes() const { return m_stream != nullptr; }
    // Decoded bytes for the next piece of input; on corrupt data error() is set
    // and the rest is returned undecoded.
    QByteArray feed(const QByteArray &input);
    QString error() const { return m_error; }

private:
    struct Stream;
    std::unique_ptr<Stream> m_stream;
    bool m_triedRawDeflate = false;
    QString m_error;
};

} // namespace portolan::http
