// portolan-cli call: sends an operation's request through the client core
// (the same planning, validation and credential choice as the desktop app)
// and prints what happened.
#include "clicommand.h"

#include "clientcore.h"
#include "curlcommand.h"
#include "documentloader.h"
#include "environment.h"
#include "harexport.h"
#include "historystore.h"
#include "operationsender.h"
#include "pemidentity.h"
#include "redaction.h"
#include "responsecontract.h"
#include "requestsigner.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryFile>

#include <cstdio>

using namespace portolan;
using namespace portolan::http;

namespace cli {

namespace {

// NAME=VALUE split at the first '='; false when there is no name.
bool splitAssignment(const QString &text, QString *name, QString *value)
{
    const qsizetype eq = text.indexOf(QLatin1Char('='));
    if (eq <= 0)
        return false;
    *name = text.left(eq);
    *value = text.mid(eq + 1);
    return true;
}

struct CallCommandLine : CommandLine {
    CallCommandLine()
        : CommandLine(QStringLiteral("call"),
                      QStringLiteral("Sends an operation's request and prints the response body.\n"
                                     "Values are checked against the parameters' schemas first; credentials are chosen\n"
                                     "as the desktop app chooses them (the alternative stored credentials satisfy).\n"
                                     "The response is checked against the operation's documented response; problems go to stderr.\n"
                                     "Exit status: 0 any HTTP response, 1 transport failure, 2 usage or invalid input,\n"
                                     "3 (with --strict) a response that does not match the document."),
                      {{QStringLiteral("SOURCE"), QStringLiteral("the OpenAPI document (file or URL)")},
                       {QStringLiteral("OPERATION"), QStringLiteral("an operationId or \"METHOD /path\" as written in the document")}})
    {
        parser.addOptions({
            {QStringLiteral("param"), QStringLiteral("a parameter (IN: path, query, header, cookie); arrays as a,b or JSON"),
             QStringLiteral("[IN:]NAME=VALUE")},
            {{QStringLiteral("H"), QStringLiteral("header")}, QStringLiteral("an extra header"), QStringLiteral("NAME: VALUE")},
            {QStringLiteral("body"), QStringLiteral("the request body: @FILE, - for stdin, or the text itself"), QStringLiteral("BODY")},
            {QStringLiteral("form"), QStringLiteral("a multipart or form field"), QStringLiteral("NAME=VALUE|NAME=@FILE")},
            {QStringLiteral("content-type"), QStringLiteral("the body's media type (default: the operation's first)"), QStringLiteral("TYPE")},
            {QStringLiteral("server"), QStringLiteral("the server URL (template) to use"), QStringLiteral("URL")},
            {QStringLiteral("server-var"), QStringLiteral("a server variable's value"), QStringLiteral("NAME=VALUE")},
            {QStringLiteral("env"), QStringLiteral("substitute {{variables}} from this environment (secret values from the keychain)"),
             QStringLiteral("NAME")},
            {QStringLiteral("var"), QStringLiteral("a {{variable}} value, before the environment's"), QStringLiteral("NAME=VALUE")},
            {QStringLiteral("credential"), QStringLiteral("authenticate with this stored credential instead of the one chosen"),
             QStringLiteral("ID")},
            {QStringLiteral("no-auth"), QStringLiteral("send without credentials")},
            {QStringLiteral("no-validate"), QStringLiteral("send values the parameters' schemas refuse")},
            {{QStringLiteral("i"), QStringLiteral("include")}, QStringLiteral("print the status line and headers before the body")},
            {{QStringLiteral("v"), QStringLiteral("verbose")}, QStringLiteral("print the whole exchange (hops, timings, TLS) to stderr")},
            {QStringLiteral("show-secrets"), QStringLiteral("do not redact credentials in -v output")},
            {QStringLiteral("har"), QStringLiteral("write the exchange as HAR 1.2 (secrets redacted)"), QStringLiteral("FILE")},
            {QStringLiteral("har-unredacted"), QStringLiteral("keep the secrets in the HAR file")},
            {QStringLiteral("curl"), QStringLiteral("print the request as a curl command on stderr")},
            {QStringLiteral("timeout"), QStringLiteral("inactivity timeout (default 30)"), QStringLiteral("SECONDS")},
            {QStringLiteral("max-redirects"), QStringLiteral("follow at most N redirects"), QStringLiteral("N")},
            {QStringLiteral("no-redirects"), QStringLiteral("do not follow redirects")},
            {QStringLiteral("max-decoded-size"), QStringLiteral("stop decoding a gzip/deflate body past this size (default 1024)"),
             QStringLiteral("MB")},
            {QStringLiteral("cacert"), QStringLiteral("trust this CA too"), QStringLiteral("FILE")},
            {QStringLiteral("cert"), QStringLiteral("present this client certificate (PEM)"), QStringLiteral("FILE")},
            {QStringLiteral("key"), QStringLiteral("the client certificate's private key (PEM; asks for its passphrase)"), QStringLiteral("FILE")},
            {QStringLiteral("insecure-host"), QStringLiteral("ignore TLS errors for this host only (shown on the exchange)"),
             QStringLiteral("HOST")},
            {QStringLiteral("proxy"), QStringLiteral("http://[user:pass@]host:port or socks5://host:port (default: the system's)"),
             QStringLiteral("URL")},
            {QStringLiteral("no-proxy"), QStringLiteral("connect directly")},
            {QStringLiteral("no-history"), QStringLiteral("do not add the exchange to the API's history")},
            {QStringLiteral("strict"), QStringLiteral("exit 3 when the response does not match the document (status, content type,\n"
                                                      "required headers, body schema)")},
        });
    }
    QString value(const char *name) const { return parser.value(QLatin1String(name)); }
    QStringList values(const char *name) const { return parser.values(QLatin1String(name)); }
    bool isSet(const char *name) const { return parser.isSet(QLatin1String(name)); }
};

// The transfer options: timeouts, redirects, proxy and TLS.
bool sendOptions(const CallCommandLine &line, SendOptions *send, QString *error)
{
    send->tls.ignoreErrorsForHosts = line.values("insecure-host");
    send->followRedirects = !line.isSet("no-redirects");
    for (const char *name : {"timeout", "max-redirects", "max-decoded-size"}) {
        if (!line.isSet(name))
            continue;
        bool isNumber = false;
        const double value = line.value(name).toDouble(&isNumber);
        if (!isNumber || value < 0) {
            *error = QStringLiteral("--%1 needs a non-negative number, not '%2'").arg(QLatin1String(name), line.value(name));
            return false;
        }
        if (qstrcmp(name, "timeout") == 0)
            send->timeoutMs = int(value * 1000);
        else if (qstrcmp(name, "max-decoded-size") == 0)
            send->decodeLimits.maxDecodedBytes = qint64(value * 1024 * 1024);
        else
            send->maxRedirects = int(value);
    }
    send->proxy.mode = line.isSet("no-proxy") ? ProxyChoice::Mode::Direct : ProxyChoice::Mode::System;
    if (line.isSet("proxy")) {
        const QUrl url(line.value("proxy"));
        const bool socks = url.scheme() == QLatin1String("socks5");
        if ((url.scheme() != QLatin1String("http") && !socks) || url.host().isEmpty() || url.port() <= 0) {
            *error = QStringLiteral("--proxy '%1' is not http://host:port or socks5://host:port").arg(line.value("proxy"));
            return false;
        }
        send->proxy.mode = ProxyChoice::Mode::Manual;
        send->proxy.manual = QNetworkProxy(socks ? QNetworkProxy::Socks5Proxy : QNetworkProxy::HttpProxy, url.host(),
                                           quint16(url.port()), url.userName(), url.password());
    }
    if (line.isSet("cacert")) {
        send->tls.extraCaCertificates = QSslCertificate::fromPath(line.value("cacert"));
        if (send->tls.extraCaCertificates.isEmpty()) {
            *error = QStringLiteral("--cacert %1: no PEM certificate could be read").arg(line.value("cacert"));
            return false;
        }
    }
    if (line.isSet("cert") != line.isSet("key")) {
        *error = QStringLiteral("--cert and --key go together");
        return false;
    }
    if (line.isSet("cert")) {
        auth::PemIdentity identity = auth::loadPemIdentity(line.value("key"), line.value("cert"), {});
        if (identity.status == auth::PemIdentity::Status::NeedsPassphrase)
            identity = auth::loadPemIdentity(line.value("key"), line.value("cert"),
                                             readSecretLine(QStringLiteral("Passphrase for %1: ").arg(line.value("key"))));
        if (!identity.ok()) {
            *error = identity.error;
            return false;
        }
        send->tls.clientIdentity = client::tlsClientIdentity(identity);
    }
    return true;
}

// The request as the user gave it on the command line, for the client core to plan.
bool requestInput(const CallCommandLine &line, const ApiDocument &document, const Operation &op, client::RequestInput *input,
                  QString *error)
{
    QString name, value;
    for (const QString &p : line.values("param")) {
        if (!splitAssignment(p, &name, &value)) {
            *error = QStringLiteral("--param '%1' is not NAME=VALUE").arg(p);
            return false;
        }
        client::ParameterText text{std::nullopt, name, value};
        if (name.contains(QLatin1Char(':'))) {
            if (const auto in = parameterLocationFromName(name.section(QLatin1Char(':'), 0, 0))) {
                text.in = in;
                text.name = name.section(QLatin1Char(':'), 1);
            }
        }
        input->parameters.append(text);
    }
    for (const QString &h : line.values("header")) {
        const qsizetype colon = h.indexOf(QLatin1Char(':'));
        if (colon <= 0) {
            *error = QStringLiteral("--header '%1' is not 'NAME: VALUE'").arg(h);
            return false;
        }
        input->extraHeaders.append({h.left(colon).trimmed().toUtf8(), h.mid(colon + 1).trimmed().toUtf8()});
    }
    for (const QString &v : line.values("server-var")) {
        if (!splitAssignment(v, &name, &value)) {
            *error = QStringLiteral("--server-var '%1' is not NAME=VALUE").arg(v);
            return false;
        }
        input->serverVariables.insert(name, value);
    }
    input->server = line.value("server");

    BodyInput &body = input->body;
    body.contentType = line.value("content-type");
    const QString bodyText = line.value("body");
    if (line.isSet("form")) {
        QJsonObject fields;
        for (const QString &f : line.values("form")) {
            if (!splitAssignment(f, &name, &value)) {
                *error = QStringLiteral("--form '%1' is not NAME=VALUE or NAME=@FILE").arg(f);
                return false;
            }
            if (value.startsWith(QLatin1Char('@')))
                body.fileFields.insert(name, value.mid(1));
            else
                fields.insert(name, value);
        }
        body.source = BodyInput::Source::Value;
        body.value = fields;
        if (body.contentType.isEmpty()) {
            const std::optional<RequestBody> requestBody = operationDetails(document, op).requestBody;
            body.contentType = body.fileFields.isEmpty() && requestBody && !requestBody->content.isEmpty()
                ? requestBody->content.first().contentType
                : QStringLiteral("multipart/form-data");
        }
    } else if (bodyText == QLatin1String("-")) {
        QFile in;
        if (!in.open(stdin, QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read the body from stdin");
            return false;
        }
        body.source = BodyInput::Source::Raw;
        body.raw = in.readAll();
    } else if (bodyText.startsWith(QLatin1Char('@'))) {
        body.source = BodyInput::Source::File;
        body.filePath = bodyText.mid(1);
    } else if (line.isSet("body")) {
        body.source = BodyInput::Source::Raw;
        body.raw = bodyText.toUtf8();
    }
    return true;
}

// The named environment, with --var values put first (they win).
bool environmentInput(const CallCommandLine &line, client::RequestInput *input, QString *error)
{
    if (!line.isSet("env") && !line.isSet("var"))
        return true;
    Environment environment;
    if (line.isSet("env")) {
        const QList<Environment> all = EnvironmentStore().load(error);
        const auto found = std::find_if(all.begin(), all.end(), [&](const Environment &e) { return e.name == line.value("env"); });
        if (!error->isEmpty())
            return false;
        if (found == all.end()) {
            *error = QStringLiteral("no environment '%1'").arg(line.value("env"));
            return false;
        }
        environment = *found;
    }
    QString name, value;
    const QStringList vars = line.values("var");
    for (auto it = vars.rbegin(); it != vars.rend(); ++it) {
        if (!splitAssignment(*it, &name, &value)) {
            *error = QStringLiteral("--var '%1' is not NAME=VALUE").arg(*it);
            return false;
        }
        environment.variables.prepend({name, value, false});
    }
    input->environment = environment;
    return true;
}

QString formatUs(qint64 us)
{
    return QString::number(double(us) / 1000.0, 'f', 2) + QStringLiteral(" ms");
}

void printVerbose(const Exchange &exchange)
{
    QTextStream &e = err();
    for (qsizetype i = 0; i < exchange.hops.size(); ++i) {
        const Hop &hop = exchange.hops[i];
        e << "* hop " << (i + 1) << " of " << exchange.hops.size() << '\n';
        for (const Withheld &w : hop.withheld)
            e << "* withheld: " << w.what << " (" << w.reason << ")\n";
        e << "> " << hop.request.method << ' '
          << hop.request.url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveFragment) << ' '
          << hop.request.httpVersion << '\n';
        for (const HeaderField &h : hop.request.headers)
            e << "> " << h.name << ": " << h.value << '\n';
        if (!hop.request.body.isEmpty())
            e << "> [body: " << hop.request.bodySize << " bytes]\n";
        if (hop.responseReceived) {
            e << "< " << hop.response.httpVersion << ' ' << hop.response.status << ' ' << hop.response.reason << '\n';
            for (const HeaderField &h : hop.response.headers)
                e << "< " << h.name << ": " << h.value << '\n';
            e << "* body: " << hop.response.body.wireSize << " bytes on the wire";
            if (!hop.response.contentEncoding.isEmpty())
                e << " (" << hop.response.contentEncoding << "), " << hop.response.body.decodedSize << " decoded";
            e << '\n';
        }
        if (!hop.response.remoteAddress.isEmpty())
            e << "* remote address: " << hop.response.remoteAddress << '\n';
        if (hop.proxy != QLatin1String("direct"))
            e << "* via proxy: " << hop.proxy << '\n';
        QStringList phases;
        for (const TimingPhase &p : hop.timings.phases)
            phases << p.name + QLatin1Char(' ') + formatUs(p.durationUs);
        e << "* timings: " << phases.join(QStringLiteral(", ")) << "; total " << formatUs(qMax<qint64>(0, hop.timings.totalUs)) << '\n';
        for (const QString &u : hop.timings.unavailable)
            e << "*   not measured: " << u << '\n';
        if (hop.tls.used) {
            e << "* TLS: " << (hop.tls.protocol.isEmpty() ? QStringLiteral("no session") : hop.tls.protocol) << ' ' << hop.tls.cipher << '\n';
            for (qsizetype c = 0; c < hop.tls.peerChain.size(); ++c) {
                const CertificateInfo &cert = hop.tls.peerChain[c];
                e << "*   certificate " << c << ": subject " << cert.subject << "; issuer " << cert.issuer << '\n'
                  << "*     valid " << cert.notBefore.toString(Qt::ISODate) << " to " << cert.notAfter.toString(Qt::ISODate) << '\n'
                  << "*     SANs " << cert.subjectAlternativeNames.join(QStringLiteral(", ")) << '\n'
                  << "*     SHA-256 " << cert.sha256Fingerprint << '\n';
            }
            for (const QString &error : hop.tls.verificationErrors)
                e << "*   verification error: " << error << (hop.tls.errorsIgnoredByChoice ? " (ignored: --insecure-host)" : "") << '\n';
            if (hop.tls.clientCertificateSent)
                e << "*   client certificate: " << hop.tls.clientCertificateSubject << '\n';
        }
    }
    if (!exchange.tlsErrorsIgnoredForHosts.isEmpty())
        e << "* TLS errors ignored by choice for: " << exchange.tlsErrorsIgnoredForHosts.join(QStringLiteral(", ")) << '\n';
    if (exchange.error != TransportError::None)
        e << "* failed (" << transportErrorName(exchange.error) << "): " << exchange.errorMessage << '\n';
    e.flush();
}

void writeBody(const ResponseBody &body)
{
    out().flush();
    if (!body.isInFile()) {
        fwrite(body.bytes.constData(), 1, size_t(body.bytes.size()), stdout);
    } else {
        QFile file(body.file->fileName());
        if (file.open(QIODevice::ReadOnly)) {
            while (!file.atEnd()) {
                const QByteArray chunk = file.read(1024 * 1024);
                fwrite(chunk.constData(), 1, size_t(chunk.size()), stdout);
            }
        }
    }
    fflush(stdout);
}

} // namespace

int runCall(const QStringList &arguments)
{
    CallCommandLine line;
    if (const int code = line.parse(arguments, 2, 2); code >= 0)
        return code;
    client::OperationRequest call;
    QString error;
    if (!sendOptions(line, &call.options, &error))
        return line.usageError(error);
    const QString source = line.parser.positionalArguments().at(0);
    const QString operationName = line.parser.positionalArguments().at(1);

    int exitCode = Failure;
    client::ClientCore core;
    client::OperationSender sender(&core);
    DocumentLoader loader(core.network());
    std::shared_ptr<const ApiDocument> document;

    auto finish = [&](int code, const QString &message = QString()) {
        if (!message.isEmpty())
            err() << "portolan-cli call: " << message << '\n';
        exitCode = code;
        QMetaObject::invokeMethod(QCoreApplication::instance(), &QCoreApplication::quit, Qt::QueuedConnection);
    };

    QObject::connect(&sender, &client::OperationSender::refused, [&](const QStringList &messages, bool usage) {
        finish(usage ? UsageError : Failure, messages.join(QStringLiteral("\n  ")));
    });
    QObject::connect(&sender, &client::OperationSender::notice, [&](const QString &message) {
        err() << "portolan-cli call: warning: " << message << '\n';
        err().flush();
    });
    QObject::connect(&sender, &client::OperationSender::finished, [&](const Exchange &exchange) {
        const bool showSecrets = line.isSet("show-secrets");
        const Exchange shown = showSecrets ? exchange : redacted(exchange);
        if (line.isSet("curl") && !shown.hops.isEmpty())
            err() << toCurl(shown.hops.first().request) << '\n';
        if (line.isSet("verbose"))
            printVerbose(shown);
        if (line.isSet("har")) {
            HarOptions har;
            har.redactSecrets = !line.isSet("har-unredacted");
            QString harError;
            if (!writeHarFile(line.value("har"), {exchange}, &harError, har))
                err() << "portolan-cli call: " << harError << '\n';
        }
        if (!line.isSet("no-history")) {
            QString historyError;
            if (!HistoryStore().append(auth::apiIdentity(*document), exchange, &historyError))
                err() << "portolan-cli call: history not saved: " << historyError << '\n';
        }
        if (exchange.error != TransportError::None && !exchange.hasResponse())
            return finish(Failure, exchange.errorMessage);
        const ReceivedResponse &response = exchange.finalHop().response;
        if (line.isSet("include")) {
            out() << response.httpVersion << ' ' << response.status << ' ' << response.reason << '\n';
            for (const HeaderField &h : response.headers)
                out() << h.name << ": " << h.value << '\n';
            out() << '\n';
        }
        writeBody(response.body);
        if (!exchange.errorMessage.isEmpty())  // a response came but was cut short, or a 401 could not be answered
            err() << "portolan-cli call: " << exchange.errorMessage << '\n';
        // The response against what the operation documents: problems on stderr, exit 3 with --strict.
        const ContractReport contract = ResponseContract(document).check(*call.operation, response);
        for (const ContractProblem &p : contract.problems) {
            err() << "portolan-cli call: contract: " << p.message;
            if (p.line > 0)
                err() << " (body " << p.line << ':' << p.column << ')';
            err() << '\n';
        }
        if (exchange.error != TransportError::None)
            finish(Failure);
        else
            finish(line.isSet("strict") && !contract.isClean() ? ContractMismatch : Success);
    });

    QObject::connect(&loader, &DocumentLoader::finished, [&](const LoadResult &result) {
        if (!result.document) {
            QStringList messages;
            for (const Diagnostic &d : result.errors)
                messages << d.message;
            return finish(Failure, QStringLiteral("cannot load %1: %2").arg(source, messages.join(QStringLiteral("; "))));
        }
        document = result.document;
        QString problem;
        const Operation *op = client::findOperation(*document, operationName, &problem);
        if (!op)
            return finish(UsageError, problem);
        call.document = document;
        call.operation = op;
        call.source = source;
        call.validate = !line.isSet("no-validate");
        call.credentials.noAuth = line.isSet("no-auth");
        call.credentials.explicitCredential = line.value("credential");
        if (!requestInput(line, *document, *op, &call.input, &problem) || !environmentInput(line, &call.input, &problem))
            return finish(UsageError, problem);
        sender.send(call);
    });
    const QUrl sourceUrl = sourceUrlFromUserInput(source);
    LoadOptions load = loadOptionsWithUserSchemes(sourceUrl);
    load.validate = false;  // sending needs the model, not a lint of the whole document
    loader.load(sourceUrl, load);
    QCoreApplication::exec();
    return exitCode;
}

} // namespace cli
