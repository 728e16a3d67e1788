#include "requestline.h"

#include "methodstyle.h"
#include "themecolors.h"

#include <QAction>
#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>

namespace portolan::gui {

RequestLine::RequestLine(QWidget *parent)
    : QWidget(parent), m_method(new QLabel(this)), m_url(new QLineEdit(this)), m_send(new QToolButton(this))
{
    m_method->setAlignment(Qt::AlignCenter);
    m_method->setMinimumWidth(70);
    m_method->setAccessibleName(tr("Method"));

    // Read-only but selectable: the URL is what the client core will send to, not an editor.
    QFont urlFont = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    urlFont.setPointSizeF(font().pointSizeF() * 1.05);
    m_url->setFont(urlFont);
    m_url->setReadOnly(true);
    m_url->setAccessibleName(tr("Request URL"));
    m_url->setToolTip(tr("The URL the request goes to, from the server, its variables, the parameters and the environment"));

    m_send->setObjectName(QStringLiteral("sendButton"));
    m_send->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_send->setAccessibleName(tr("Send"));

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(8);
    layout->addWidget(m_method);
    layout->addWidget(m_url, 1);
    layout->addWidget(m_send);
    m_send->hide();  // until there is an action to show
    applyColors();
}

void RequestLine::setMethod(const QString &method)
{
    m_methodName = method;
    m_method->setText(method);
    applyColors();
}

void RequestLine::setUrl(const QString &url)
{
    if (m_url->text() == url)
        return;
    m_url->setText(url);
    m_url->setCursorPosition(0);  // the scheme and host first, as address bars show them
    m_url->setToolTip(url);
}

QString RequestLine::url() const
{
    return m_url->text();
}

void RequestLine::setSendAction(QAction *action)
{
    m_send->setDefaultAction(action);
    m_send->setVisible(action != nullptr);
}

void RequestLine::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        applyColors();
}

void RequestLine::applyColors()
{
    // Style sheets set on children do not reach this widget's own palette: no recursion on PaletteChange.
    m_method->setStyleSheet(QStringLiteral("QLabel { background: %1; color: %2; font-weight: bold; border-radius: 4px; padding: 4px 8px; }")
                                .arg(cssColor(badgeFill(methodColor(m_methodName))), cssColor(badgeText())));
    const QPalette &p = palette();
    QColor disabled = accentFill(p);
    disabled.setAlphaF(0.45);
    m_send->setStyleSheet(QStringLiteral(
        "QToolButton#sendButton { background: %1; color: %2; font-weight: bold; border: none;"
        " border-radius: 3px; padding: 4px 18px; }"
        "QToolButton#sendButton:hover { background: %3; }"
        "QToolButton#sendButton:disabled { background: %4; color: %5; }")
                              .arg(cssColor(accentFill(p)), cssColor(accentText(p)), cssColor(accentFill(p).darker(115)),
                                   disabled.name(QColor::HexArgb), cssColor(p.color(QPalette::Disabled, QPalette::ButtonText))));
}

} // namespace portolan::gui
