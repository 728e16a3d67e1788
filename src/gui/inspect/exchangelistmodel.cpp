#include "exchangelistmodel.h"
#include "themecolors.h"

#include <QColor>
#include <QGuiApplication>
#include <QIcon>
#include <QLocale>

namespace portolan::gui {

QString formatBytes(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

QString formatMicros(qint64 us)
{
    if (us < 0)
        return QStringLiteral("—");
    if (us < 1000)
        return QStringLiteral("%1 µs").arg(us);
    if (us < 1'000'000)
        return QStringLiteral("%1 ms").arg(double(us) / 1000.0, 0, 'f', us < 10'000 ? 2 : 1);
    return QStringLiteral("%1 s").arg(double(us) / 1e6, 0, 'f', 2);
}

ExchangeListModel::ExchangeListModel(QObject *parent) : QAbstractTableModel(parent) {}

int ExchangeListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_exchanges.size());
}

int ExchangeListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ExchangeListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Number: return tr("#");
    case Method: return tr("Method");
    case Url: return tr("URL");
    case Status: return tr("Status");
    case Time: return tr("Time");
    case Size: return tr("Size");
    }
    return {};
}

QVariant ExchangeListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_exchanges.size())
        return {};
    const http::Exchange &exchange = m_exchanges.at(index.row());
    const bool hasHops = !exchange.hops.isEmpty();
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Number:
            return index.row() + 1;
        case Method:
            return QString::fromLatin1(hasHops ? exchange.hops.first().request.method : exchange.original.method);
        case Url:
            return (hasHops ? exchange.hops.first().request.url : exchange.original.url).toDisplayString();
        case Status:
            if (exchange.hasResponse()) {
                const auto &response = exchange.finalHop().response;
                return QStringLiteral("%1 %2").arg(response.status).arg(QString::fromLatin1(response.reason));
            }
            // A page an embedded browser gave no status for says what it did ("redirected", "loaded").
            if (exchange.error == http::TransportError::None && !exchange.errorMessage.isEmpty())
                return exchange.errorMessage.section(QLatin1Char(' '), 0, 0);
            return http::transportErrorName(exchange.error);
        case Time:  // empty when not measured (an embedded browser's page)
            return hasHops && exchange.finalHop().timings.totalUs < 0 ? QString() : formatMicros(exchange.totalUs());
        case Size:
            return exchange.hasResponse() && exchange.finalHop().response.body.decodedSize >= 0
                ? formatBytes(exchange.finalHop().response.body.decodedSize) : QString();
        }
    }
    if (role == Qt::ToolTipRole && index.column() == Status && !exchange.errorMessage.isEmpty())
        return exchange.errorMessage;
    const auto contract = m_contractProblems.constFind(exchange.id);
    if (contract != m_contractProblems.constEnd() && index.column() == Status) {
        if (role == Qt::DecorationRole)
            return QIcon(QStringLiteral(":/icons/warning.svg"));
        if (role == Qt::ToolTipRole)
            return tr("Does not match the document:\n%1").arg(contract->join(QLatin1Char('\n')));
    }
    if (role == Qt::ForegroundRole && index.column() == Status) {
        const QPalette palette = QGuiApplication::palette();
        const int status = exchange.hasResponse() ? exchange.finalHop().response.status : 0;
        if (status == 0 && exchange.error == http::TransportError::None)
            return toneText(Tone::Muted, palette);
        if (status == 0 || status >= 400)
            return toneText(Tone::Error, palette);
        if (status >= 300)
            return toneText(Tone::Warning, palette);
        return toneText(Tone::Success, palette);
    }
    if (role == Qt::TextAlignmentRole && (index.column() == Time || index.column() == Size || index.column() == Number))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

void ExchangeListModel::setContractProblems(const QString &exchangeId, const QStringList &problems)
{
    if (problems.isEmpty())
        m_contractProblems.remove(exchangeId);
    else
        m_contractProblems.insert(exchangeId, problems);
    for (int row = 0; row < m_exchanges.size(); ++row) {
        if (m_exchanges.at(row).id == exchangeId)
            Q_EMIT dataChanged(index(row, Status), index(row, Status), {Qt::DecorationRole, Qt::ToolTipRole});
    }
}

bool ExchangeListModel::hasContractProblems(int row) const
{
    return row >= 0 && row < m_exchanges.size() && m_contractProblems.contains(m_exchanges.at(row).id);
}

void ExchangeListModel::append(const http::Exchange &exchange)
{
    beginInsertRows({}, int(m_exchanges.size()), int(m_exchanges.size()));
    m_exchanges.append(exchange);
    endInsertRows();
}

void ExchangeListModel::setExchanges(const QList<http::Exchange> &exchanges)
{
    beginResetModel();
    m_exchanges = exchanges;
    m_contractProblems.clear();
    endResetModel();
}

void ExchangeListModel::prepend(const QList<http::Exchange> &earlier)
{
    if (earlier.isEmpty())
        return;
    beginInsertRows({}, 0, int(earlier.size()) - 1);
    m_exchanges = earlier + m_exchanges;
    endInsertRows();
}

} // namespace portolan::gui
