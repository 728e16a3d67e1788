#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QUrl>

#include <memory>

class QTcpServer;

namespace portolan::auth {

// RFC 8252 §7.3 loopback redirect receiver for native apps. Listens on
// exactly the address, port and path of the redirect URI the client
// registered (http://127.0.0.1:PORT/PATH, http://[::1]:PORT/PATH or
// http://localhost:PORT/PATH), or on a free port when the URI names none.
// It accepts exactly one callback: the GET of that path carrying the state of
// the authorization request it waits for. Anything else is answered 400 or
// 404 without ending the login; after the callback it stops listening.
class LoopbackReceiver : public QObject {
    Q_OBJECT
public:
    explicit LoopbackReceiver(QObject *parent = nullptr);
    ~LoopbackReceiver() override;

    // True for an http URI whose host is 127.0.0.1, ::1 or localhost: one this receiver can listen on.
    static bool isLoopback(const QUrl &redirectUri);

    // Listens for `redirectUri` (default: any free port on 127.0.0.1, path
    // /callback). False with `error` naming the address and port when it
    // cannot, e.g. because another program uses the port.
    bool listen(const QUrl &redirectUri, QString *error);
    bool listen(QString *error) { return listen(QUrl(QStringLiteral("http://127.0.0.1/callback")), error); }
    // The callback must carry the `state` of this authorization URL.
    void expectResponseTo(const QUrl &authorizationUrl);
    void close();
    bool isListening() const;
    // The redirect URI as listened on: the registered one, with the chosen port when it named none.
    QUrl redirectUri() const { return m_redirectUri; }

Q_SIGNALS:
    void redirectReceived(const QUrl &url);

private:
    void handleConnection(QTcpServer *server);
    // The status line and page for one request; emits redirectReceived when it is the callback.
    QByteArray answer(const QByteArray &requestLine);

    QList<QTcpServer *> m_servers;  // children of this object; two for localhost (IPv4 and IPv6)
    QUrl m_redirectUri;
    QByteArray m_expectedState;
    bool m_done = false;
};

} // namespace portolan::auth
