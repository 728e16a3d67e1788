#include "exchangetree.h"

#include "exchangelistmodel.h"

#include <QNetworkCookie>
#include <QPainter>

namespace portolan::gui {

namespace {

QList<QStandardItem *> row(const QString &field, const QString &value)
{
    auto *name = new QStandardItem(field);
    auto *text = new QStandardItem(value);
    name->setEditable(false);
    text->setEditable(false);
    text->setToolTip(value.size() > 80 ? value.left(2000) : QString());
    return {name, text};
}

QStandardItem *add(QStandardItem *parent, const QString &field, const QString &value = QString())
{
    const QList<QStandardItem *> items = row(field, value);
    parent->appendRow(items);
    return items.first();
}

void addHeaders(QStandardItem *parent, const http::HeaderList &headers)
{
    QStandardItem *node = add(parent, QObject::tr("Headers"), QObject::tr("%n header(s)", nullptr, int(headers.size())));
    for (const http::HeaderField &header : headers)
        add(node, QString::fromLatin1(header.name), QString::fromLatin1(header.value));
}

void addRequest(QStandardItem *parent, const http::SentRequest &request)
{
    add(parent, QObject::tr("Request line"),
        QStringLiteral("%1 %2 %3").arg(QString::fromLatin1(request.method), request.url.toString(QUrl::FullyEncoded),
                                       QString::fromLatin1(request.httpVersion)));
    addHeaders(parent, request.headers);
    add(parent, QObject::tr("Body"), request.bodySize > 0 ? formatBytes(request.bodySize) : QObject::tr("none"));
}

void addResponse(QStandardItem *parent, const http::ReceivedResponse &response, bool final)
{
    add(parent, QObject::tr("Status"),
        QStringLiteral("%1 %2 %3").arg(QString::fromLatin1(response.httpVersion)).arg(response.status)
            .arg(QString::fromLatin1(response.reason)));
    if (!response.remoteAddress.isEmpty())
        add(parent, QObject::tr("Remote address"), response.remoteAddress);
    addHeaders(parent, response.headers);
    if (final && response.body.decodedSize < 0) {
        add(parent, QObject::tr("Body"), QObject::tr("not reported"));  // a page an embedded browser loaded
    } else if (final) {
        QString size = QObject::tr("%1 decoded").arg(formatBytes(response.body.decodedSize));
        if (!response.contentEncoding.isEmpty())
            size += QObject::tr(", %1 on the wire (%2)").arg(formatBytes(response.body.wireSize), response.contentEncoding);
        add(parent, QObject::tr("Body"), size);
    }
}

void addTimings(QStandardItem *section, const http::Timings &timings)
{
    const double total = timings.totalUs > 0 ? double(timings.totalUs) : 1.0;
    for (const http::TimingPhase &phase : timings.phases) {
        QStandardItem *item = add(section, phase.name, formatMicros(phase.durationUs));
        section->child(item->row(), 1)->setData(QPointF(phase.startUs / total, phase.durationUs / total),
                                                ExchangeTreeModel::WaterfallRole);
    }
    add(section, QObject::tr("Total"), formatMicros(timings.totalUs));
    if (timings.connectionReused)
        add(section, QObject::tr("Connection"), QObject::tr("reused"));
    for (const QString &missing : timings.unavailable)
        add(section, QObject::tr("Not measured"), missing);
}

void addTls(QStandardItem *section, const http::TlsInfo &tls)
{
    add(section, QObject::tr("Protocol"), tls.protocol);
    add(section, QObject::tr("Cipher"), tls.cipher);
    QStandardItem *chain = add(section, QObject::tr("Certificate chain"),
                               QObject::tr("%n certificate(s)", nullptr, int(tls.peerChain.size())));
    for (const http::CertificateInfo &certificate : tls.peerChain) {
        QStandardItem *node = add(chain, certificate.subject);
        add(node, QObject::tr("Issuer"), certificate.issuer);
        add(node, QObject::tr("Valid"), QStringLiteral("%1 – %2").arg(certificate.notBefore.toString(Qt::ISODate),
                                                                      certificate.notAfter.toString(Qt::ISODate)));
        if (!certificate.subjectAlternativeNames.isEmpty())
            add(node, QObject::tr("Alternative names"), certificate.subjectAlternativeNames.join(QStringLiteral(", ")));
        add(node, QObject::tr("SHA-256"), QString::fromLatin1(certificate.sha256Fingerprint));
        add(node, QObject::tr("Serial"), QString::fromLatin1(certificate.serialNumber));
    }
    for (const QString &error : tls.verificationErrors)
        add(section, QObject::tr("Verification error"), error);
    if (tls.errorsIgnoredByChoice)
        add(section, QObject::tr("Errors ignored"), QObject::tr("by your choice for this host"));
    if (tls.clientCertificateSent)
        add(section, QObject::tr("Client certificate"), tls.clientCertificateSubject);
}

void addCookies(QStandardItem *section, const http::Hop &hop)
{
    for (const QByteArray &cookie : http::headerValue(hop.request.headers, "Cookie").split(';')) {
        const QByteArray trimmed = cookie.trimmed();
        if (!trimmed.isEmpty())
            add(section, QObject::tr("Sent"), QString::fromLatin1(trimmed));
    }
    for (const QByteArray &header : http::headerValues(hop.response.headers, "Set-Cookie")) {
        for (const QNetworkCookie &cookie : QNetworkCookie::parseCookies(header)) {
            QStandardItem *node = add(section, QObject::tr("Set"), QString::fromLatin1(cookie.name() + '=' + cookie.value()));
            if (!cookie.domain().isEmpty())
                add(node, QObject::tr("Domain"), cookie.domain());
            if (!cookie.path().isEmpty())
                add(node, QObject::tr("Path"), cookie.path());
            if (cookie.expirationDate().isValid())
                add(node, QObject::tr("Expires"), cookie.expirationDate().toString(Qt::ISODate));
            QStringList flags;
            if (cookie.isSecure())
                flags << QStringLiteral("Secure");
            if (cookie.isHttpOnly())
                flags << QStringLiteral("HttpOnly");
            if (!flags.isEmpty())
                add(node, QObject::tr("Flags"), flags.join(QStringLiteral(", ")));
        }
    }
}

QString locationName(http::SecretUse::Location location)
{
    switch (location) {
    case http::SecretUse::Location::Header: return QObject::tr("header");
    case http::SecretUse::Location::Query: return QObject::tr("query parameter");
    case http::SecretUse::Location::Cookie: return QObject::tr("cookie");
    }
    return {};
}

QString problemLabel(http::ContractProblem::Kind kind)
{
    switch (kind) {
    case http::ContractProblem::Kind::UndocumentedStatus: return QObject::tr("Status");
    case http::ContractProblem::Kind::UndocumentedContentType: return QObject::tr("Content type");
    case http::ContractProblem::Kind::MissingHeader: return QObject::tr("Header");
    case http::ContractProblem::Kind::BodyNotParsed:
    case http::ContractProblem::Kind::BodySchema: return QObject::tr("Body");
    }
    return {};
}

QList<QStandardItem *> sectionRow(const QString &title, const QString &summary)
{
    const QList<QStandardItem *> items = row(title, summary);
    QFont bold = items.first()->font();
    bold.setBold(true);
    items.first()->setFont(bold);
    return items;
}

} // namespace

ExchangeTreeModel::ExchangeTreeModel(QObject *parent) : QStandardItemModel(parent)
{
    setHorizontalHeaderLabels({tr("Field"), tr("Value")});
}

QStandardItem *ExchangeTreeModel::section(const QString &title) const
{
    const QList<QStandardItem *> found = findItems(title);
    return found.isEmpty() ? nullptr : found.first();
}

void ExchangeTreeModel::setExchange(const http::Exchange &exchange)
{
    removeRows(0, rowCount());
    QStandardItem *root = invisibleRootItem();
    const auto addSection = [root](const QString &title, const QString &summary = QString()) {
        const QList<QStandardItem *> items = sectionRow(title, summary);
        root->appendRow(items);
        return items.first();
    };
    if (exchange.error != http::TransportError::None)
        addSection(tr("Error"), QStringLiteral("%1: %2").arg(http::transportErrorName(exchange.error), exchange.errorMessage));
    if (exchange.hops.isEmpty())
        return;
    const http::Hop &final = exchange.finalHop();
    addRequest(addSection(tr("Request"), tr("as sent")), final.request);
    if (final.responseReceived)
        addResponse(addSection(tr("Response"), QStringLiteral("%1 %2").arg(final.response.status)
                                                   .arg(QString::fromLatin1(final.response.reason))),
                    final.response, true);
    else if (exchange.error == http::TransportError::None && !exchange.errorMessage.isEmpty())
        addSection(tr("Response"), exchange.errorMessage);  // what a browser said of a page it gave no status for
    addTimings(addSection(tr("Timings"), formatMicros(exchange.totalUs())), final.timings);
    if (exchange.hops.size() > 1) {
        QStandardItem *redirects = addSection(tr("Redirects"), tr("%n hop(s)", nullptr, int(exchange.hops.size())));
        for (int i = 0; i < exchange.hops.size(); ++i) {
            const http::Hop &hop = exchange.hops.at(i);
            QStandardItem *node = add(redirects, tr("Hop %1").arg(i + 1),
                                      QStringLiteral("%1 %2 → %3").arg(QString::fromLatin1(hop.request.method),
                                                                     hop.request.url.toString(),
                                                                     hop.responseReceived ? QString::number(hop.response.status)
                                                                                          : tr("no response")));
            if (!hop.withheld.isEmpty()) {
                QStandardItem *withheld = add(node, tr("Withheld"), hop.withheld.first().reason);
                for (const http::Withheld &w : hop.withheld)
                    add(withheld, w.what, w.reason);
            }
            addRequest(add(node, tr("Request")), hop.request);
            if (hop.responseReceived)
                addResponse(add(node, tr("Response")), hop.response, i == exchange.hops.size() - 1);
            addTimings(add(node, tr("Timings"), formatMicros(hop.timings.totalUs)), hop.timings);
        }
    }
    if (final.tls.used)
        addTls(addSection(tr("TLS"), final.tls.protocol), final.tls);
    QStandardItem *cookies = addSection(tr("Cookies"));
    addCookies(cookies, final);
    if (!cookies->hasChildren())
        removeRow(cookies->row());
    if (!exchange.secrets.isEmpty()) {
        QStandardItem *credentials = addSection(tr("Credentials"));
        for (const http::SecretUse &use : exchange.secrets)
            add(credentials, QString::fromLatin1(use.name),
                use.credentialId.isEmpty() ? tr("%1, redacted").arg(locationName(use.location))  // a login's own secret
                                           : tr("%1 from credential %2").arg(locationName(use.location), use.credentialId.left(8)));
    }
}

void ExchangeTreeModel::clearContract()
{
    if (QStandardItem *old = section(tr("Contract")))
        removeRow(old->row());
}

void ExchangeTreeModel::setContract(const http::ContractReport *report)
{
    clearContract();
    QStandardItem *response = section(tr("Response"));
    if (!response)
        return;
    QString summary = tr("checking…");
    if (report) {
        const QString documented = report->documentedStatus.isEmpty()
                                       ? QString()
                                       : tr(" (response %1%2)").arg(report->documentedStatus,
                                                                    report->documentedMediaType.isEmpty() ? QString()
                                                                                                          : QStringLiteral(", ") + report->documentedMediaType);
        summary = report->isClean() ? tr("matches the document%1").arg(documented)
                                    : tr("%n problem(s)%1", nullptr, int(report->problems.size())).arg(documented);
    }
    const QList<QStandardItem *> items = sectionRow(tr("Contract"), summary);
    if (report && !report->isClean())
        items.last()->setForeground(QColor(0xc0, 0x39, 0x2b));
    invisibleRootItem()->insertRow(response->row() + 1, items);
    if (!report)
        return;
    for (int i = 0; i < report->problems.size(); ++i) {
        const http::ContractProblem &p = report->problems.at(i);
        QString text = p.message;
        if (p.line > 0)
            text += tr(" — line %1").arg(p.line);
        QStandardItem *item = add(items.first(), problemLabel(p.kind), text);
        if (p.kind == http::ContractProblem::Kind::BodySchema || p.kind == http::ContractProblem::Kind::BodyNotParsed) {
            item->setData(i, BodyProblemRole);
            items.first()->child(item->row(), 1)->setData(i, BodyProblemRole);
        }
    }
}

void WaterfallDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QVariant bar = index.data(ExchangeTreeModel::WaterfallRole);
    if (bar.isValid()) {
        const QPointF fractions = bar.toPointF();
        // The bar occupies the right part of the cell; the duration text stays readable on the left.
        const QRect area = option.rect.adjusted(90, 4, -6, -4);
        if (area.width() > 20) {
            const int left = area.left() + int(fractions.x() * area.width());
            const int width = std::max(2, int(fractions.y() * area.width()));
            painter->save();
            painter->fillRect(QRect(area.left(), area.center().y(), area.width(), 1), option.palette.mid());
            painter->setRenderHint(QPainter::Antialiasing);
            painter->setPen(Qt::NoPen);
            painter->setBrush(QColor(0x3d, 0x8b, 0xd4));
            painter->drawRoundedRect(QRect(left, area.top(), std::min(width, area.right() - left + 1), area.height()), 2, 2);
            painter->restore();
        }
    }
    QStyledItemDelegate::paint(painter, option, index);
}

} // namespace portolan::gui
