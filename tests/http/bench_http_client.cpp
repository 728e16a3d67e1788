// The Portolan side of tests/bench/bench-http.sh (not a test):
//   bench_http_client serve             a keep-alive loopback server with a tiny fixed answer
//   bench_http_client requests URL N    N sequential sends through ExchangeSender
//   bench_http_client download URL      one send; prints the process's peak resident memory
//   bench_http_client qnam URL N        N sequential plain QNetworkAccessManager GETs: Qt's own floor
#include "exchangesender.h"
#include "processmemory.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpServer>
#include <QTcpSocket>

#include <cstdio>

using namespace portolan::http;

using portolan::test::peakResidentBytes;

namespace {

int serve()
{
    auto *server = new QTcpServer(qApp);  // owned by the application
    QObject::connect(server, &QTcpServer::newConnection, server, [server] {
        while (QTcpSocket *socket = server->nextPendingConnection()) {
            auto buffer = std::make_shared<QByteArray>();
            QObject::connect(socket, &QTcpSocket::readyRead, socket, [socket, buffer] {
                *buffer += socket->readAll();
                qsizetype end;
                while ((end = buffer->indexOf("\r\n\r\n")) >= 0) {
                    buffer->remove(0, end + 4);
                    socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok");
                }
            });
            QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
    });
    if (!server->listen(QHostAddress::LocalHost, 0))
        return 1;
    std::printf("listening on %d\n", server->serverPort());
    std::fflush(stdout);
    return QCoreApplication::exec();
}

// The same loop without Portolan: what Qt's HTTP stack costs by itself.
int plainQnam(const QUrl &url, int total)
{
    auto *network = new QNetworkAccessManager(qApp);  // owned by the application
    auto *clock = new QElapsedTimer;
    auto done = std::make_shared<int>(0);
    auto next = std::make_shared<std::function<void()>>();
    *next = [=] {
        QNetworkReply *reply = network->get(QNetworkRequest(url));
        QObject::connect(reply, &QNetworkReply::finished, reply, [=] {
            reply->readAll();
            reply->deleteLater();
            if (++*done < total)
                return (*next)();
            std::printf("requests %d elapsed_ms %.1f\n", *done, double(clock->nsecsElapsed()) / 1e6);
            delete clock;
            QCoreApplication::exit(0);
        });
    };
    clock->start();
    (*next)();
    return QCoreApplication::exec();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments().mid(1);
    if (args.value(0) == QLatin1String("serve"))
        return serve();
    if (args.size() < 2)
        return 2;
    if (args.value(0) == QLatin1String("qnam"))
        return plainQnam(QUrl(args[1]), args.value(2).toInt());
    QNetworkAccessManager network;
    ExchangeSender sender(&network);
    HttpRequest request;
    request.url = QUrl(args[1]);
    const int total = args.value(0) == QLatin1String("requests") ? args.value(2).toInt() : 1;
    int done = 0, failures = 0;
    QElapsedTimer clock;
    QObject::connect(&sender, &ExchangeSender::finished, &app, [&](const Exchange &exchange) {
        if (exchange.error != TransportError::None)
            ++failures;
        if (++done < total) {
            sender.send(request);
            return;
        }
        const qint64 bodyBytes = exchange.hasResponse() ? exchange.finalHop().response.body.decodedSize : 0;
        std::printf("requests %d failures %d elapsed_ms %.1f body_bytes %lld peak_rss_bytes %lld\n", done, failures,
                    double(clock.nsecsElapsed()) / 1e6, bodyBytes, peakResidentBytes());
        QCoreApplication::exit(failures ? 1 : 0);
    });
    clock.start();
    sender.send(request);
    return QCoreApplication::exec();
}
