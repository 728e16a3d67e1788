#pragma once

#include "exchange.h"
#include "responsecontract.h"

#include <QStandardItemModel>
#include <QStyledItemDelegate>

namespace portolan::gui {

// The detail tree of one exchange, Wireshark style: request as sent, response,
// timings (a waterfall), redirects, TLS chain, cookies, where credentials went.
// Two columns: field and value. A small QStandardItemModel: an exchange has
// dozens of rows, not thousands.
class ExchangeTreeModel : public QStandardItemModel {
    Q_OBJECT
public:
    // A timing row's bar: QPointF(start, duration) as fractions of the hop's total.
    static constexpr int WaterfallRole = Qt::UserRole + 1;
    // A Contract row about a place in the body: the problem's index in the report.
    static constexpr int BodyProblemRole = Qt::UserRole + 2;

    explicit ExchangeTreeModel(QObject *parent = nullptr);
    void setExchange(const http::Exchange &exchange);
    // The "Contract" section after "Response": how the response differs from what
    // its operation documents, one row per problem; "checking…" while `report` is null.
    void setContract(const http::ContractReport *report);
    void clearContract();
    // The top-level section with this title ("Request", "Response", "Timings", …), or null.
    QStandardItem *section(const QString &title) const;
};

// Paints the waterfall bar of timing rows behind their value text.
class WaterfallDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace portolan::gui
