#include "schemestatemodel.h"
#include "themecolors.h"

#include <QGuiApplication>

#include "credentialstore.h"
#include "requestsigner.h"

#include <QColor>
#include <QFont>

namespace portolan::gui {

QString schemeDescription(const SecurityScheme &scheme)
{
    switch (scheme.type) {
    case SecuritySchemeType::ApiKey:
        return SchemeStateModel::tr("API key in %1 “%2”").arg(scheme.in, scheme.parameterName);
    case SecuritySchemeType::Http:
        return scheme.bearerFormat.isEmpty() ? SchemeStateModel::tr("HTTP %1").arg(scheme.scheme)
                                             : SchemeStateModel::tr("HTTP %1 (%2)").arg(scheme.scheme, scheme.bearerFormat);
    case SecuritySchemeType::OAuth2: {
        QStringList flows;
        for (const OAuthFlow &flow : scheme.flows)
            flows << oauthFlowName(flow.kind);
        return SchemeStateModel::tr("OAuth 2 (%1)").arg(flows.join(QStringLiteral(", ")));
    }
    case SecuritySchemeType::OpenIdConnect:
        return SchemeStateModel::tr("OpenID Connect");
    default:
        return securitySchemeTypeName(scheme.type);
    }
}

SchemeStateModel::SchemeStateModel(auth::CredentialStore *store, QObject *parent)
    : QAbstractTableModel(parent), m_store(store)
{
    connect(m_store, &auth::CredentialStore::changed, this, &SchemeStateModel::refresh);
    // Expiry is time-dependent: "valid until" turns into "expired" without any event.
    m_clock.setInterval(5000);
    connect(&m_clock, &QTimer::timeout, this, &SchemeStateModel::refresh);
    m_clock.start();
}

void SchemeStateModel::setDocument(std::shared_ptr<const ApiDocument> document)
{
    beginResetModel();
    m_document = std::move(document);
    endResetModel();
}

void SchemeStateModel::refresh()
{
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, StateColumn), index(rowCount() - 1, CredentialColumn));
}

const SecurityScheme *SchemeStateModel::scheme(int row) const
{
    if (!m_document || row < 0 || row >= m_document->securitySchemes.size())
        return nullptr;
    return &m_document->securitySchemes.at(row);
}

int SchemeStateModel::rowOf(const QString &schemeName) const
{
    for (int row = 0; row < rowCount(); ++row)
        if (scheme(row)->name == schemeName)
            return row;
    return -1;
}

int SchemeStateModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_document ? 0 : int(m_document->securitySchemes.size());
}

int SchemeStateModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SchemeStateModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SchemeColumn: return tr("Scheme");
    case TypeColumn: return tr("Type");
    case StateColumn: return tr("State");
    case CredentialColumn: return tr("Credential");
    }
    return {};
}

SchemeStateModel::State SchemeStateModel::state(int row) const
{
    const SecurityScheme *s = scheme(row);
    if (!s)
        return State::NoCredential;
    const QList<auth::CredentialInfo> stored = m_store->forScheme(auth::apiIdentity(*m_document), s->name);
    if (stored.isEmpty())
        return State::NoCredential;
    const auth::CredentialInfo &info = stored.first();
    if (info.kind != auth::CredentialKind::OAuth2 || !info.expiresAt.isValid())
        return State::Stored;
    if (info.isExpired())
        return info.hasRefreshToken ? State::Refreshable : State::Expired;
    return State::Valid;
}

QString SchemeStateModel::stateText(int row) const
{
    const SecurityScheme *s = scheme(row);
    if (!s)
        return {};
    const QList<auth::CredentialInfo> stored = m_store->forScheme(auth::apiIdentity(*m_document), s->name);
    QString text;
    switch (state(row)) {
    case State::NoCredential:
        return tr("No credential");
    case State::Stored:
        text = tr("Stored");
        break;
    case State::Valid: {
        const qint64 seconds = QDateTime::currentDateTimeUtc().secsTo(stored.first().expiresAt);
        text = tr("Valid until %1 (%2 min)")
                   .arg(QLocale().toString(stored.first().expiresAt.toLocalTime().time(), QLocale::ShortFormat))
                   .arg(seconds / 60);
        if (stored.first().hasRefreshToken)
            text += tr(", refreshable");
        break;
    }
    case State::Refreshable:
        text = tr("Expired, refreshable");
        break;
    case State::Expired:
        text = tr("Expired; log in again");
        break;
    }
    if (stored.first().sessionOnly)
        text += tr(" — memory only (no keychain)");
    return text;
}

QVariant SchemeStateModel::data(const QModelIndex &index, int role) const
{
    const SecurityScheme *s = scheme(index.row());
    if (!s)
        return {};
    if (role == StateRole)
        return int(state(index.row()));
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case SchemeColumn:
            return s->userDefined ? tr("%1 (yours)").arg(s->name) : s->name;
        case TypeColumn:
            return schemeDescription(*s);
        case StateColumn:
            return stateText(index.row());
        case CredentialColumn: {
            const QList<auth::CredentialInfo> stored = m_store->forScheme(auth::apiIdentity(*m_document), s->name);
            if (stored.isEmpty())
                return QString();
            const auth::CredentialInfo &info = stored.first();
            QStringList parts;
            if (!info.label.isEmpty())
                parts << info.label;
            if (!info.scopes.isEmpty())
                parts << info.scopes.join(QLatin1Char(' '));
            return parts.join(QStringLiteral(" · "));
        }
        }
    }
    if (role == Qt::ToolTipRole && s->userDefined)
        return tr("Your scheme, not the document's (kept with this API's state). %1").arg(s->description);
    if (role == Qt::ToolTipRole)
        return s->description;
    if (role == Qt::FontRole && index.column() == SchemeColumn && s->userDefined) {
        QFont font;
        font.setItalic(true);
        return font;
    }
    if (role == Qt::ForegroundRole && index.column() == StateColumn) {
        const QPalette palette = QGuiApplication::palette();
        switch (state(index.row())) {
        case State::NoCredential: return toneText(Tone::Muted, palette);
        case State::Stored:
        case State::Valid: return toneText(Tone::Success, palette);
        case State::Refreshable: return toneText(Tone::Warning, palette);
        case State::Expired: return toneText(Tone::Error, palette);
        }
    }
    return {};
}

} // namespace portolan::gui
