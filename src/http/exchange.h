#pragma once

#include "httprequest.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <memory>

class QTemporaryFile;

namespace portolan::http {

// The request exactly as it went on the wire for one hop.
struct SentRequest {
    QByteArray method;
    QUrl url;
    HeaderList headers;     // every header, including Host, Content-Length, Cookie, …
    RequestBodyData body;   // what was sent: in memory, or file segments streamed from disk
    qint64 bodySize = 0;
    QByteArray httpVersion; // the protocol the request was sent with: HTTP/1.1 or HTTP/2
};

// A response body: in memory while small, spilled to a temporary file when large.
struct ResponseBody {
    QByteArray bytes;                     // the whole decoded body when !file
    std::shared_ptr<QTemporaryFile> file; // the decoded body when it was too large for memory
    qint64 decodedSize = 0;
    qint64 wireSize = 0;                  // body bytes as received, before Content-Encoding decoding
    bool isInFile() const { return bool(file); }
    // The body (or its first `limit` bytes), read from the file when spilled.
    QByteArray read(qint64 limit = -1) const;
};

struct ReceivedResponse {
    int status = 0;
    QByteArray reason;
    QByteArray httpVersion;     // "HTTP/2", or "HTTP/1.x": Qt does not report 1.0 versus 1.1
    HeaderList headers;         // as received, in order; Qt joins repeated names with ", " (Set-Cookie kept apart)
    ResponseBody body;          // only for the final hop
    QString contentEncoding;    // what the body was decoded from, e.g. "gzip"
    QString remoteAddress;      // the address the host name resolved to
};

// How long each phase of a hop took. Qt reports some moments and not others,
// so phases are listed only when measured; what cannot be measured is named
// in `unavailable` with the reason, never invented.
struct TimingPhase {
    QString name;
    qint64 startUs = 0;     // from the start of the hop
    qint64 durationUs = 0;
};

struct Timings {
    QList<TimingPhase> phases;
    qint64 totalUs = -1;
    bool connectionReused = false;
    QStringList unavailable;
    // -1 when the phase was not measured.
    qint64 durationUs(const QString &phase) const;
};

struct CertificateInfo {
    QString subject;
    QString issuer;
    QDateTime notBefore;
    QDateTime notAfter;
    QStringList subjectAlternativeNames;
    QByteArray sha256Fingerprint;  // hex, colon separated
    QByteArray serialNumber;
};

struct TlsInfo {
    bool used = false;
    QString protocol;  // e.g. "TLSv1.3"
    QString cipher;
    QList<CertificateInfo> peerChain;  // the server's certificate first
    QStringList verificationErrors;
    bool errorsIgnoredByChoice = false;  // the user chose to ignore TLS errors for this host
    bool clientCertificateSent = false;
    QString clientCertificateSubject;
};

// Something the request before this hop carried that this hop did not send.
struct Withheld {
    QString what;    // "header X-Api-Key", "query parameter api_key": names, never values
    QString reason;  // why, naming the origins involved
};

struct Hop {
    QList<Withheld> withheld;  // on a redirect to another origin: the credentials not sent
    SentRequest request;
    ReceivedResponse response;
    bool responseReceived = false;
    Timings timings;
    TlsInfo tls;
    QString proxy;  // "direct", or the proxy that carried the hop, e.g. "http://proxy:3128"
};

enum class TransportError {
    None,
    InvalidRequest,
    ConnectionRefused,
    ConnectionClosed,   // reset or closed before the response was complete
    HostNotFound,
    Timeout,
    Tls,
    Proxy,
    TooManyRedirects,
    Authentication,     // the authenticator could not supply credentials
    Cancelled,
    Other,
    ResponseTooLarge    // the decoded body passed SendOptions' bounds (a decompression bomb?)
};
QString transportErrorName(TransportError error);

// Where a credential was put into a request, so history and exports can
// replace its value by a reference to the credential.
struct SecretUse {
    enum class Location { Header, Query, Cookie };
    Location location = Location::Header;
    QByteArray name;       // header, query parameter or cookie name
    QString credentialId;  // the credential it came from; empty if unknown
    QString variable;      // or the secret environment variable it came from
    QByteArray value;      // the secret itself, kept in memory only so redaction can find it anywhere
};

// Everything about one send: each hop (redirects, an auth retry) with what was
// sent and received, timings and TLS, and how it ended.
struct Exchange {
    QString id;
    QDateTime startedAt;
    QString apiId;        // for history; set by the caller
    QString operationId;
    HttpRequest original;  // as the user built it, before defaults and credentials
    QList<Hop> hops;       // in order; the last is the final response
    TransportError error = TransportError::None;
    QString errorMessage;  // for the user: what failed, where; with error None, why a 401 stayed the answer
    QStringList tlsErrorsIgnoredForHosts;  // the per-host choices in effect for this send
    QList<SecretUse> secrets;

    bool hasResponse() const { return !hops.isEmpty() && hops.last().responseReceived; }
    const Hop &finalHop() const { return hops.last(); }
    qint64 totalUs() const;
};

} // namespace portolan::http

Q_DECLARE_METATYPE(portolan::http::Exchange)
