#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QUrl>

namespace portolan {

// One download of a remote document, as DocumentLoader drives it: the
// loader decides what to follow and when to stop, this only transfers.
class RemoteFetch : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    virtual QUrl url() const = 0;  // where it ended up, after redirects
    virtual bool isRunning() const = 0;
    virtual void abort() = 0;            // finished() follows
    virtual void followRedirect() = 0;   // after redirected(): go on to the target
    // After finished(): the body, or why there is none ("HTTP 404 Not Found",
    // the transport's error), empty when it succeeded.
    virtual QByteArray takeBody() = 0;
    virtual QString failure() const = 0;
    virtual bool failedOnRedirectCount() const = 0;

Q_SIGNALS:
    void redirected(const QUrl &target);
    void received(qint64 bytes);  // so far
    void finished();
};

// Starts downloads for DocumentLoader. The one over Qt Network is in
// portolan_core_network, so that a program which reads local files only
// (portolan-cli's inspect and lint) need not load the network libraries.
class RemoteFetcher {
public:
    virtual ~RemoteFetcher() = default;
    // The fetch belongs to the caller; it gives up after `timeoutMs` without
    // data, or past `maxRedirects` redirects.
    virtual RemoteFetch *get(const QUrl &url, int timeoutMs, int maxRedirects) = 0;
};

} // namespace portolan
