// portolan-cli call: builds a request from an operation of an OpenAPI
// document, sends it with the HTTP engine and prints what happened.
#include "clicommand.h"

#include "credentialstore.h"
#include "curlcommand.h"
#include "documentloader.h"
#include "environment.h"
#include "exchangesender.h"
#include "harexport.h"
#include "historystore.h"
#include "redaction.h"
#include "requestauthenticator.h"
#include "requestbuilder.h"
#include "requestsigner.h"
#include "secretvariables.h"
#include "signerauthenticator.h"
#include "tokenclient.h"
#include "tokenmanager.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkCookieJar>
#include <QSaveFile>
#include <QTemporaryFile>
#include <QUrlQuery>

#include <cstdio>

using namespace portolan;
using namespace portolan::http;

namespace cli {

namespace {

const char kUsage[] =
    "usage: portolan-cli call SOURCE OPERATION [options]\n"
    "  OPERATION is an operationId or \"METHOD /path\" as written in the document.\n"
    "  --param [IN:]NAME=VALUE   a parameter (IN: path, query, header, cookie); arrays as a,b or JSON\n"
    "  --header 'NAME: VALUE'    an extra header (repeatable)\n"
    "  --body @FILE | - | TEXT   the request body (a file, stdin, or the text itself)\n"
    "  --form NAME=VALUE|@FILE   a multipart or form field (repeatable)\n"
    "  --content-type TYPE       the body's media type (default: the operation's first)\n"
    "  --server URL              the server to use; --server-var NAME=VALUE fills its variables\n"
    "  --env NAME                substitute {{variables}} from this environment (secret values from the\n"
    "                            keychain, see portolan-cli env); --var NAME=VALUE adds one\n"
    "  --credential ID           authenticate with this stored credential (see portolan-cli tokens list)\n"
    "  -i                        print the status line and headers before the body\n"
    "  -v                        print the whole exchange (hops, timings, TLS) to stderr\n"
    "  --show-secrets            do not redact credentials in -v output\n"
    "  --har FILE                write the exchange as HAR 1.2 (secrets redacted; --har-unredacted to keep them)\n"
    "  --curl                    print the request as a curl command on stderr\n"
    "  --timeout SECONDS         inactivity timeout (default 30)\n"
    "  --max-redirects N | --no-redirects\n"
    "  --max-decoded-size MB     stop decoding a gzip/deflate body past this size (default 1024)\n"
    "  --cacert FILE             trust this CA too; --cert FILE --key FILE present a client certificate\n"
    "  --insecure-host HOST      ignore TLS errors for this host only (shown on the exchange)\n"
    "  --proxy URL | --no-proxy  http://[user:pass@]host:port or socks5://host:port; default: the system's\n"
    "  --no-history              do not add the exchange to the API's history\n"
    "Exit status: 0 any HTTP response, 1 transport failure, 2 usage or invalid input.\n";

struct CallOptions {
    QString source, operation;
    QStringList params, headers, forms, serverVars, vars, insecureHosts;
    QString body, contentType, server, environment, credential, har, cacert, cert, key, proxy;
    bool include = false, verbose = false, showSecrets = false, harUnredacted = false, curl = false, history = true;
    SendOptions send;
};

bool parseArguments(const QStringList &args, CallOptions &o, QString *error)
{
    QStringList positional;
    ArgumentReader reader(args);
    while (!reader.atEnd()) {
        const QString a = reader.next();
        auto next = [&reader](QString *target) { return reader.value(target); };
        auto append = [&reader](QStringList *list) { return reader.append(list); };
        QString number;
        bool ok = true;
        if (a == QLatin1String("--param")) ok = append(&o.params);
        else if (a == QLatin1String("--header") || a == QLatin1String("-H")) ok = append(&o.headers);
        else if (a == QLatin1String("--form")) ok = append(&o.forms);
        else if (a == QLatin1String("--server-var")) ok = append(&o.serverVars);
        else if (a == QLatin1String("--var")) ok = append(&o.vars);
        else if (a == QLatin1String("--insecure-host")) ok = append(&o.insecureHosts);
        else if (a == QLatin1String("--body")) ok = next(&o.body);
        else if (a == QLatin1String("--content-type")) ok = next(&o.contentType);
        else if (a == QLatin1String("--server")) ok = next(&o.server);
        else if (a == QLatin1String("--env")) ok = next(&o.environment);
        else if (a == QLatin1String("--credential")) ok = next(&o.credential);
        else if (a == QLatin1String("--har")) ok = next(&o.har);
        else if (a == QLatin1String("--cacert")) ok = next(&o.cacert);
        else if (a == QLatin1String("--cert")) ok = next(&o.cert);
        else if (a == QLatin1String("--key")) ok = next(&o.key);
        else if (a == QLatin1String("-i") || a == QLatin1String("--include")) o.include = true;
        else if (a == QLatin1String("-v") || a == QLatin1String("--verbose")) o.verbose = true;
        else if (a == QLatin1String("--show-secrets")) o.showSecrets = true;
        else if (a == QLatin1String("--har-unredacted")) o.harUnredacted = true;
        else if (a == QLatin1String("--curl")) o.curl = true;
        else if (a == QLatin1String("--no-history")) o.history = false;
        else if (a == QLatin1String("--proxy")) ok = next(&o.proxy);
        else if (a == QLatin1String("--no-proxy")) o.send.proxy.mode = ProxyChoice::Mode::Direct;
        else if (a == QLatin1String("--no-redirects")) o.send.followRedirects = false;
        else if (a == QLatin1String("--timeout") || a == QLatin1String("--max-redirects")
                 || a == QLatin1String("--max-decoded-size")) {
            ok = next(&number);
            if (!ok) {
                *error = reader.error();
                return false;
            }
            bool isNumber = false;
            const double value = number.toDouble(&isNumber);
            if (!isNumber || value < 0) {
                *error = QStringLiteral("%1 needs a non-negative number, not '%2'").arg(a, number);
                return false;
            }
            if (a == QLatin1String("--timeout"))
                o.send.timeoutMs = int(value * 1000);
            else if (a == QLatin1String("--max-decoded-size"))
                o.send.decodeLimits.maxDecodedBytes = qint64(value * 1024 * 1024);
            else
                o.send.maxRedirects = int(value);
        } else if (a.startsWith(QLatin1Char('-')) && a != QLatin1String("-")) {
            *error = QStringLiteral("unknown option '%1'").arg(a);
            return false;
        } else {
            positional.append(a);
        }
        if (!ok) {
            if (error->isEmpty())
                *error = reader.error();
            return false;
        }
    }
    if (positional.size() != 2) {
        *error = positional.size() < 2 ? QStringLiteral("SOURCE and OPERATION are required")
                                       : QStringLiteral("unexpected argument '%1'").arg(positional.value(2));
        return false;
    }
    o.source = positional[0];
    o.operation = positional[1];
    o.send.tls.ignoreErrorsForHosts = o.insecureHosts;
    if (o.send.proxy.mode == ProxyChoice::Mode::Inherit)
        o.send.proxy.mode = ProxyChoice::Mode::System;
    if (!o.proxy.isEmpty()) {
        const QUrl url(o.proxy);
        const bool socks = url.scheme() == QLatin1String("socks5");
        if ((url.scheme() != QLatin1String("http") && !socks) || url.host().isEmpty() || url.port() <= 0) {
            *error = QStringLiteral("--proxy '%1' is not http://host:port or socks5://host:port").arg(o.proxy);
            return false;
        }
        o.send.proxy.mode = ProxyChoice::Mode::Manual;
        o.send.proxy.manual = QNetworkProxy(socks ? QNetworkProxy::Socks5Proxy : QNetworkProxy::HttpProxy, url.host(),
                                            quint16(url.port()), url.userName(), url.password());
    }
    return true;
}

const Operation *findOperation(const ApiDocument &document, const QString &spec, QString *error)
{
    const QString method = spec.section(QLatin1Char(' '), 0, 0).toUpper();
    const QString path = spec.section(QLatin1Char(' '), 1).trimmed();
    for (const Operation &o : document.operations) {
        if (o.operationId == spec || (!path.isEmpty() && o.method == method && o.path == path))
            return &o;
    }
    *error = QStringLiteral("no operation '%1' in the document (give an operationId or \"METHOD /path\")").arg(spec);
    return nullptr;
}

std::optional<ParameterLocation> locationNamed(const QString &name)
{
    for (ParameterLocation l : {ParameterLocation::Path, ParameterLocation::Query, ParameterLocation::Header, ParameterLocation::Cookie}) {
        if (parameterLocationName(l) == name)
            return l;
    }
    return std::nullopt;
}

bool collectParameters(const CallOptions &o, const ApiDocument &document, const Operation &op, BuildInput &input, QString *error)
{
    const RequestBuilder builder(document);
    for (const QString &p : o.params) {
        const qsizetype eq = p.indexOf(QLatin1Char('='));
        if (eq <= 0) {
            *error = QStringLiteral("--param '%1' is not NAME=VALUE").arg(p);
            return false;
        }
        QString name = p.left(eq);
        const QString value = p.mid(eq + 1);
        std::optional<ParameterLocation> in;
        if (name.contains(QLatin1Char(':')) && locationNamed(name.section(QLatin1Char(':'), 0, 0))) {
            in = locationNamed(name.section(QLatin1Char(':'), 0, 0));
            name = name.section(QLatin1Char(':'), 1);
        }
        QList<const Parameter *> matches;
        for (const Parameter &declared : op.parameters) {
            if (declared.name == name && (!in || declared.in == *in))
                matches.append(&declared);
        }
        if (matches.size() > 1) {
            *error = QStringLiteral("--param %1 is ambiguous: write %2:%1 or %3:%1")
                         .arg(name, parameterLocationName(matches[0]->in), parameterLocationName(matches[1]->in));
            return false;
        }
        // Undeclared: a {name} of the path template if there is one, else a query parameter.
        const bool inPath = op.path.contains(QLatin1Char('{') + name + QLatin1Char('}'));
        if (matches.isEmpty())
            input.parameters.append({in.value_or(inPath ? ParameterLocation::Path : ParameterLocation::Query), name, value});
        else
            input.parameters.append({matches[0]->in, name, builder.valueFromText(*matches[0], value)});
    }
    for (const QString &h : o.headers) {
        const qsizetype colon = h.indexOf(QLatin1Char(':'));
        if (colon <= 0) {
            *error = QStringLiteral("--header '%1' is not 'NAME: VALUE'").arg(h);
            return false;
        }
        input.extraHeaders.append({h.left(colon).trimmed().toUtf8(), h.mid(colon + 1).trimmed().toUtf8()});
    }
    for (const QString &v : o.serverVars) {
        const qsizetype eq = v.indexOf(QLatin1Char('='));
        if (eq <= 0) {
            *error = QStringLiteral("--server-var '%1' is not NAME=VALUE").arg(v);
            return false;
        }
        input.serverVariables.insert(v.left(eq), v.mid(eq + 1));
    }
    input.serverUrl = o.server;

    BodyInput &body = input.body;
    body.contentType = o.contentType;
    if (!o.forms.isEmpty()) {
        QJsonObject fields;
        for (const QString &f : o.forms) {
            const qsizetype eq = f.indexOf(QLatin1Char('='));
            if (eq <= 0) {
                *error = QStringLiteral("--form '%1' is not NAME=VALUE or NAME=@FILE").arg(f);
                return false;
            }
            if (f.at(eq + 1) == QLatin1Char('@'))
                body.fileFields.insert(f.left(eq), f.mid(eq + 2));
            else
                fields.insert(f.left(eq), f.mid(eq + 1));
        }
        body.source = BodyInput::Source::Value;
        body.value = fields;
        if (body.contentType.isEmpty())
            body.contentType = body.fileFields.isEmpty() && op.requestBody && !op.requestBody->content.isEmpty()
                ? op.requestBody->content.first().contentType
                : QStringLiteral("multipart/form-data");
    } else if (o.body == QLatin1String("-")) {
        QFile in;
        if (!in.open(stdin, QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read the body from stdin");
            return false;
        }
        body.source = BodyInput::Source::Raw;
        body.raw = in.readAll();
    } else if (o.body.startsWith(QLatin1Char('@'))) {
        body.source = BodyInput::Source::File;
        body.filePath = o.body.mid(1);
    } else if (!o.body.isNull()) {
        body.source = BodyInput::Source::Raw;
        body.raw = o.body.toUtf8();
    }
    return true;
}

bool loadTlsOptions(CallOptions &o, QString *error)
{
    if (!o.cacert.isEmpty()) {
        o.send.tls.extraCaCertificates = QSslCertificate::fromPath(o.cacert);
        if (o.send.tls.extraCaCertificates.isEmpty()) {
            *error = QStringLiteral("--cacert %1: no PEM certificate could be read").arg(o.cacert);
            return false;
        }
    }
    if (o.cert.isEmpty() != o.key.isEmpty()) {
        *error = QStringLiteral("--cert and --key go together");
        return false;
    }
    if (!o.cert.isEmpty()) {
        const QList<QSslCertificate> certificates = QSslCertificate::fromPath(o.cert);
        QFile keyFile(o.key);
        if (certificates.isEmpty() || !keyFile.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read the client certificate %1 or key %2").arg(o.cert, o.key);
            return false;
        }
        const QByteArray pem = keyFile.readAll();
        QSslKey key(pem, QSsl::Rsa);
        if (key.isNull())
            key = QSslKey(pem, QSsl::Ec);
        if (key.isNull()) {
            *error = QStringLiteral("%1 is not an unencrypted PEM RSA or EC private key").arg(o.key);
            return false;
        }
        o.send.tls.clientCertificate = certificates.first();
        o.send.tls.clientKey = key;
    }
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
    if (arguments.contains(QStringLiteral("--help")) || arguments.contains(QStringLiteral("-h"))) {
        out() << kUsage;
        return Success;
    }
    CallOptions options;
    QString error;
    if (!parseArguments(arguments, options, &error) || !loadTlsOptions(options, &error)) {
        err() << "portolan-cli call: " << error << "\n" << kUsage;
        return UsageError;
    }

    int exitCode = Failure;
    QNetworkAccessManager network;
    QNetworkCookieJar cookies;
    ExchangeSender sender(&network);
    sender.setCookieJar(&cookies);
    auth::CredentialStore store;
    auth::TokenClient tokenClient(&network);
    auth::TokenManager tokens(&store, &tokenClient);
    auth::RequestSigner signer(&store, &tokens);
    std::unique_ptr<SignerAuthenticator> authenticator;
    DocumentLoader loader(&network);
    std::shared_ptr<const ApiDocument> document;
    Substitution substitution;
    SecretVariableStore secretVariables;

    auto fail = [&](int code, const QString &message) {
        err() << "portolan-cli call: " << message << '\n';
        exitCode = code;
        QCoreApplication::quit();
    };

    QObject::connect(&sender, &ExchangeSender::finished, [&](const Exchange &finished) {
        const Exchange &exchange = finished;
        const Exchange shown = options.showSecrets ? exchange : redacted(exchange);
        if (options.curl && !shown.hops.isEmpty())
            err() << toCurl(shown.hops.first().request) << '\n';
        if (options.verbose)
            printVerbose(shown);
        if (!options.har.isEmpty()) {
            HarOptions har;
            har.redactSecrets = !options.harUnredacted;
            QSaveFile file(options.har);
            if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(toHar({exchange}, har)).toJson()) < 0 || !file.commit())
                err() << "portolan-cli call: cannot write " << options.har << ": " << file.errorString() << '\n';
        }
        if (options.history) {
            QString historyError;
            if (!HistoryStore().append(auth::apiIdentity(*document), exchange, &historyError))
                err() << "portolan-cli call: history not saved: " << historyError << '\n';
        }
        if (exchange.error != TransportError::None && !exchange.hasResponse())
            return fail(Failure, exchange.errorMessage);
        const ReceivedResponse &response = exchange.finalHop().response;
        if (options.include) {
            out() << response.httpVersion << ' ' << response.status << ' ' << response.reason << '\n';
            for (const HeaderField &h : response.headers)
                out() << h.name << ": " << h.value << '\n';
            out() << '\n';
        }
        writeBody(response.body);
        exitCode = Success;
        if (!exchange.errorMessage.isEmpty())  // a response came but was cut short, or a 401 could not be answered
            err() << "portolan-cli call: " << exchange.errorMessage << '\n';
        if (exchange.error != TransportError::None)
            exitCode = Failure;
        QCoreApplication::quit();
    });

    QObject::connect(&loader, &DocumentLoader::finished, [&](const LoadResult &result) {
        if (!result.document) {
            QStringList messages;
            for (const Diagnostic &d : result.errors)
                messages << d.message;
            return fail(Failure, QStringLiteral("cannot load %1: %2").arg(options.source, messages.join(QStringLiteral("; "))));
        }
        document = result.document;
        QString problem;
        const Operation *op = findOperation(*document, options.operation, &problem);
        if (!op)
            return fail(UsageError, problem);
        BuildInput input;
        if (!collectParameters(options, *document, *op, input, &problem))
            return fail(UsageError, problem);
        BuildResult built = RequestBuilder(*document).build(*op, input);
        if (!built.ok()) {
            QStringList messages;
            for (const BuildError &e : built.errors)
                messages << e.toString();
            return fail(UsageError, messages.join(QStringLiteral("\n  ")));
        }
        auto send = [&, op](const HttpRequest &request) {
            QString problem;
            if (!options.credential.isEmpty()) {
                const QString id = store.resolveId(options.credential);
                if (id.isEmpty())
                    return fail(UsageError, QStringLiteral("no stored credential '%1' (or the prefix is ambiguous)").arg(options.credential));
                const QString scheme = store.info(id).scheme;
                SecurityAlternative alternative;
                if (!SignerAuthenticator::chooseAlternative(*document, *op, scheme, &alternative, &problem))
                    return fail(UsageError, problem);
                authenticator = std::make_unique<SignerAuthenticator>(&signer, *document, alternative, QHash<QString, QString>{{scheme, id}});
                sender.setAuthenticator(authenticator.get());
            }
            sender.send(request, options.send, substitution.secrets);
        };
        if (options.environment.isEmpty() && options.vars.isEmpty())
            return send(built.request);
        Environment environment;
        if (!options.environment.isEmpty()) {
            const QList<Environment> all = EnvironmentStore().load(&problem);
            const auto found = std::find_if(all.begin(), all.end(), [&](const Environment &e) { return e.name == options.environment; });
            if (!problem.isEmpty() || found == all.end())
                return fail(UsageError, problem.isEmpty() ? QStringLiteral("no environment '%1'").arg(options.environment) : problem);
            environment = *found;
        }
        for (const QString &v : options.vars) {
            const qsizetype eq = v.indexOf(QLatin1Char('='));
            if (eq <= 0)
                return fail(UsageError, QStringLiteral("--var '%1' is not NAME=VALUE").arg(v));
            environment.variables.prepend({v.left(eq), v.mid(eq + 1), false});
        }
        // Secret values come from the keychain; --var values listed first win.
        secretVariables.fill(environment, [&, send, request = built.request](const Environment &filled, const QStringList &problems) {
            const HttpRequest substituted = substituteVariables(request, filled, &substitution);
            if (!substitution.missing.isEmpty()) {
                QString message = QStringLiteral("no value for {{%1}}").arg(substitution.missing.join(QStringLiteral("}}, {{")));
                message += problems.isEmpty() ? QStringLiteral(" (give it with --var NAME=VALUE, or store a secret with "
                                                               "'portolan-cli env set-secret ENV NAME')")
                                              : QStringLiteral(": ") + problems.join(QStringLiteral("; "));
                return fail(problems.isEmpty() ? UsageError : Failure, message);
            }
            send(substituted);
        });
    });
    loader.load(sourceUrlFromUserInput(options.source));
    QCoreApplication::exec();
    return exitCode;
}

} // namespace cli
