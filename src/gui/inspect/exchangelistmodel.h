#pragma once

#include "exchange.h"

#include <QAbstractTableModel>
#include <QHash>

namespace portolan::gui {

// The history of one API's exchanges, newest last: one row each with method,
// URL, status, time and size. The model holds the exchanges in memory; the
// inspector panel saves each to the HTTP engine's history (redacted at rest)
// and lists the saved ones again when the API is reopened.
class ExchangeListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Number, Method, Url, Status, Time, Size, ColumnCount };

    explicit ExchangeListModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    void append(const http::Exchange &exchange);
    // Replaces every row (a trace shown anew).
    void setExchanges(const QList<http::Exchange> &exchanges);
    // Puts earlier exchanges (oldest first) before the current ones.
    void prepend(const QList<http::Exchange> &earlier);
    const http::Exchange &exchange(int row) const { return m_exchanges.at(row); }
    // Flags an exchange whose response does not match its document: a warning
    // sign on its status, the problems in its tooltip. An empty list clears it.
    void setContractProblems(const QString &exchangeId, const QStringList &problems);
    bool hasContractProblems(int row) const;
    const QList<http::Exchange> &exchanges() const { return m_exchanges; }

private:
    QList<http::Exchange> m_exchanges;
    QHash<QString, QStringList> m_contractProblems;  // by exchange id; mismatching exchanges only
};

QString formatBytes(qint64 bytes);
QString formatMicros(qint64 us);

} // namespace portolan::gui
