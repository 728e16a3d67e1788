#include "navigatordelegate.h"

#include "methodstyle.h"
#include "themecolors.h"
#include "navigatormodel.h"

#include <QApplication>
#include <QPainter>

namespace portolan::gui {

namespace {
constexpr int kBadgeWidth = 58;
constexpr int kPadding = 4;

QFont badgeFont(const QFont &base)
{
    QFont font = base;
    font.setBold(true);
    font.setPointSizeF(base.pointSizeF() * 0.8);
    return font;
}
} // namespace

void NavigatorDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    // Paths, names and summaries need no OpenType shaping, and skipping it
    // (here and in every font derived below) halves what a row costs to paint.
    opt.font.setStyleStrategy(QFont::PreferNoShaping);
    const QString text = opt.text;
    opt.text.clear();
    const QStyle *style = opt.widget ? opt.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);

    painter->save();
    const bool selected = opt.state & QStyle::State_Selected;
    const QPalette::ColorRole textRole = selected ? QPalette::HighlightedText : QPalette::Text;
    QRect rect = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, opt.widget).adjusted(kPadding, 0, -kPadding, 0);
    const int operation = index.data(NavigatorModel::OperationRole).toInt();

    if (operation < 0) {
        QFont font = opt.font;
        font.setBold(true);
        painter->setFont(font);
        painter->setPen(opt.palette.color(textRole));
        const QString count = QStringLiteral("  %1").arg(index.data(NavigatorModel::OperationCountRole).toInt());
        const int countWidth = QFontMetrics(font).horizontalAdvance(count);
        const QString label = QFontMetrics(font).elidedText(text, Qt::ElideRight, rect.width() - countWidth);
        painter->drawText(rect, Qt::AlignVCenter | Qt::AlignLeft, label);
        const int labelWidth = QFontMetrics(font).horizontalAdvance(label);
        QColor dim = opt.palette.color(textRole);
        dim.setAlphaF(0.55);
        painter->setPen(dim);
        painter->setFont(opt.font);
        painter->drawText(rect.adjusted(labelWidth, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft, count);
        painter->restore();
        return;
    }

    const QString method = index.data(NavigatorModel::MethodRole).toString();
    const bool deprecated = index.data(NavigatorModel::DeprecatedRole).toBool();
    const QFont smallBold = badgeFont(opt.font);
    const int badgeHeight = QFontMetrics(smallBold).height() + 4;
    const QRect badge(rect.left(), rect.center().y() - badgeHeight / 2 + 1, kBadgeWidth, badgeHeight);
    QColor color = badgeFill(methodColor(method));
    if (deprecated)
        color.setAlphaF(0.5);
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(color);
    painter->drawRoundedRect(badge, 4, 4);
    painter->setPen(badgeText());
    painter->setFont(smallBold);
    painter->drawText(badge, Qt::AlignCenter, method);

    QRect textRect = rect.adjusted(kBadgeWidth + 2 * kPadding, 0, 0, 0);
    QFont font = opt.font;
    font.setStrikeOut(deprecated);
    painter->setFont(font);
    QColor textColor = opt.palette.color(textRole);
    if (deprecated)
        textColor.setAlphaF(0.6);
    painter->setPen(textColor);
    const QFontMetrics metrics(font);
    const QString summary = index.data(NavigatorModel::SummaryRole).toString();
    // A row with a summary beside it shows a path (keep both ends); otherwise the text is prose.
    const QString shown = metrics.elidedText(text, summary.isEmpty() ? Qt::ElideRight : Qt::ElideMiddle, textRect.width());
    painter->drawText(textRect, Qt::AlignVCenter | Qt::AlignLeft, shown);

    const int used = metrics.horizontalAdvance(shown) + 2 * kPadding;
    if (!summary.isEmpty() && used < textRect.width() - 24) {
        QColor dim = opt.palette.color(textRole);
        dim.setAlphaF(0.55);
        painter->setPen(dim);
        QFont summaryFont = opt.font;
        painter->setFont(summaryFont);
        const QRect summaryRect = textRect.adjusted(used, 0, 0, 0);
        painter->drawText(summaryRect, Qt::AlignVCenter | Qt::AlignLeft,
                          QFontMetrics(summaryFont).elidedText(summary, Qt::ElideRight, summaryRect.width()));
    }
    painter->restore();
}

QSize NavigatorDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setHeight(qMax(size.height(), QFontMetrics(option.font).height() + 10));
    return size;
}

} // namespace portolan::gui
