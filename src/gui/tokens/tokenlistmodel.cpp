#include "tokenlistmodel.h"
#include "themecolors.h"

#include <QGuiApplication>

#include "credentialstore.h"

#include <QColor>

namespace portolan::gui {

TokenListModel::TokenListModel(auth::CredentialStore *store, QObject *parent)
    : QAbstractTableModel(parent), m_store(store)
{
    connect(m_store, &auth::CredentialStore::changed, this, &TokenListModel::reload);
    m_clock.setInterval(1000);
    connect(&m_clock, &QTimer::timeout, this, [this] {
        if (!m_rows.isEmpty())
            Q_EMIT dataChanged(index(0, Expires), index(rowCount() - 1, Expires));
    });
    m_clock.start();
    reload();
}

void TokenListModel::reload()
{
    beginResetModel();
    m_rows = m_store->list();
    std::sort(m_rows.begin(), m_rows.end(), [](const auth::CredentialInfo &a, const auth::CredentialInfo &b) {
        return std::tie(a.apiTitle, a.scheme, a.updated) < std::tie(b.apiTitle, b.scheme, b.updated);
    });
    endResetModel();
}

auth::CredentialInfo TokenListModel::credential(int row) const
{
    return m_rows.value(row);
}

int TokenListModel::rowOf(const QString &id) const
{
    for (int row = 0; row < m_rows.size(); ++row)
        if (m_rows.at(row).id == id)
            return row;
    return -1;
}

int TokenListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TokenListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TokenListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Api: return tr("API");
    case Scheme: return tr("Scheme");
    case Type: return tr("Type");
    case Issuer: return tr("Issuer");
    case Subject: return tr("Subject");
    case Scopes: return tr("Scopes");
    case Expires: return tr("Expires");
    }
    return {};
}

QString TokenListModel::countdown(const auth::CredentialInfo &info, const QDateTime &now)
{
    if (info.kind != auth::CredentialKind::OAuth2)
        return tr("no expiry");
    if (!info.hasRefreshToken && !info.expiresAt.isValid())
        return tr("unknown");
    if (!info.expiresAt.isValid())
        return tr("unknown, refreshable");
    const qint64 seconds = now.secsTo(info.expiresAt);
    const qint64 magnitude = std::abs(seconds);
    const QString span = magnitude >= 3600 ? QStringLiteral("%1:%2:%3")
                                                 .arg(magnitude / 3600)
                                                 .arg((magnitude / 60) % 60, 2, 10, QLatin1Char('0'))
                                                 .arg(magnitude % 60, 2, 10, QLatin1Char('0'))
                                           : QStringLiteral("%1:%2").arg(magnitude / 60).arg(magnitude % 60, 2, 10, QLatin1Char('0'));
    QString text = seconds > 0 ? tr("%1 left").arg(span) : tr("expired %1 ago").arg(span);
    if (info.hasRefreshToken)
        text += tr(" · refreshable");
    return text;
}

QVariant TokenListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const auth::CredentialInfo &info = m_rows.at(index.row());
    if (role == IdRole)
        return info.id;
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Api: return info.apiTitle.isEmpty() ? info.api : info.apiTitle;
        case Scheme: return info.scheme;
        case Type: {
            QString type = auth::credentialKindName(info.kind);
            if (info.kind == auth::CredentialKind::OAuth2 && !info.flow.isEmpty())
                type += QStringLiteral(" · ") + info.flow;
            if (info.sessionOnly)
                type += tr(" (memory only)");
            return type;
        }
        case Issuer: return info.issuer;
        case Subject: return info.subject.isEmpty() ? info.username : info.subject;
        case Scopes: return info.scopes.join(QLatin1Char(' '));
        case Expires: return countdown(info, QDateTime::currentDateTimeUtc());
        }
    }
    if (role == Qt::ToolTipRole && index.column() == Api)
        return info.api;
    if (role == Qt::ForegroundRole && index.column() == Expires && info.kind == auth::CredentialKind::OAuth2
        && info.isExpired())
        return toneText(info.hasRefreshToken ? Tone::Warning : Tone::Error, QGuiApplication::palette());
    return {};
}

} // namespace portolan::gui
