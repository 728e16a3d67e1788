#pragma once

#include <QStyledItemDelegate>

namespace portolan::gui {

// Paints navigator rows: a coloured method badge, the path (struck through
// when deprecated) and the summary dimmed; groups in bold with their count.
class NavigatorDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace portolan::gui
