#include "serverpicker.h"
#include "themecolors.h"

#include "requestplan.h"

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace portolan::gui {

ServerPicker::ServerPicker(QWidget *parent)
    : QWidget(parent), m_servers(new QComboBox(this)), m_variables(new QHBoxLayout), m_url(new QLabel(this))
{
    m_servers->setAccessibleName(tr("Server"));
    m_servers->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_url->setTextFormat(Qt::RichText);
    m_url->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_url->setAccessibleName(tr("Base URL"));
    connect(m_servers, &QComboBox::currentIndexChanged, this, [this] {
        if (m_loading)
            return;
        rebuildVariables();
        Q_EMIT changed();
    });

    auto *top = new QHBoxLayout;
    top->setContentsMargins(0, 0, 0, 0);
    auto *label = new QLabel(tr("Server:"), this);
    label->setBuddy(m_servers);
    top->addWidget(label);
    top->addWidget(m_servers, 1);
    m_variables->setContentsMargins(0, 0, 0, 0);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addLayout(top);
    layout->addLayout(m_variables);
    layout->addWidget(m_url);
}

void ServerPicker::setServers(const QList<Server> &servers)
{
    m_loading = true;
    const QString previous = currentTemplate();
    m_serverList = servers;
    m_servers->clear();
    for (const Server &server : servers)
        m_servers->addItem(server.description.isEmpty() ? server.url : QStringLiteral("%1 — %2").arg(server.url, server.description),
                           server.url);
    if (servers.isEmpty())
        m_servers->addItem(tr("(no server declared: relative to the document)"), QString());
    const int index = m_servers->findData(previous);
    m_servers->setCurrentIndex(index >= 0 ? index : 0);
    m_loading = false;
    rebuildVariables();
}

void ServerPicker::selectServer(const QString &urlTemplate)
{
    const int index = m_servers->findData(urlTemplate);
    if (index >= 0 && index != m_servers->currentIndex()) {
        m_loading = true;
        m_servers->setCurrentIndex(index);
        m_loading = false;
        rebuildVariables();
    }
}

QString ServerPicker::currentTemplate() const
{
    return m_servers->currentData().toString();
}

void ServerPicker::setVariableValues(const QHash<QString, QString> &values)
{
    m_values = values;
    rebuildVariables();
}

QString ServerPicker::valueOf(const ServerVariable &variable) const
{
    return m_values.value(currentTemplate() + QLatin1Char('|') + variable.name, variable.defaultValue);
}

void ServerPicker::rebuildVariables()
{
    while (QLayoutItem *item = m_variables->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    const int index = m_servers->currentIndex();
    if (index < 0 || index >= m_serverList.size()) {
        updateUrl();
        return;
    }
    const QString urlTemplate = currentTemplate();
    for (const ServerVariable &variable : m_serverList[index].variables) {
        const QString key = urlTemplate + QLatin1Char('|') + variable.name;
        auto *label = new QLabel(QStringLiteral("{%1}").arg(variable.name), this);
        label->setToolTip(variable.description);
        m_variables->addWidget(label);
        QWidget *editor = nullptr;
        if (!variable.enumValues.isEmpty()) {
            auto *box = new QComboBox(this);
            box->addItems(variable.enumValues);
            box->setCurrentText(valueOf(variable));
            connect(box, &QComboBox::currentTextChanged, this, [this, key](const QString &text) {
                m_values.insert(key, text);
                updateUrl();
                Q_EMIT changed();
            });
            editor = box;
        } else {
            auto *line = new QLineEdit(valueOf(variable), this);
            line->setPlaceholderText(variable.defaultValue);
            connect(line, &QLineEdit::textChanged, this, [this, key](const QString &text) {
                m_values.insert(key, text);
                updateUrl();
                Q_EMIT changed();
            });
            editor = line;
        }
        editor->setAccessibleName(tr("Server variable %1").arg(variable.name));
        editor->setToolTip(variable.description);
        label->setBuddy(editor);
        m_variables->addWidget(editor, 1);
    }
    updateUrl();
}

QHash<QString, QString> ServerPicker::currentVariables() const
{
    QHash<QString, QString> values;
    const QString prefix = currentTemplate() + QLatin1Char('|');
    for (auto it = m_values.begin(); it != m_values.end(); ++it)
        if (it.key().startsWith(prefix))
            values.insert(it.key().mid(prefix.size()), it.value());
    return values;
}

QString ServerPicker::resolvedUrl() const
{
    const int index = m_servers->currentIndex();
    if (index < 0 || index >= m_serverList.size())
        return {};
    return client::resolveServerTemplate(m_serverList[index], currentVariables());
}

void ServerPicker::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        updateUrl();
}

void ServerPicker::updateUrl()
{
    const int index = m_servers->currentIndex();
    if (index < 0 || index >= m_serverList.size()) {
        m_url->clear();
        m_url->hide();
        return;
    }
    // Highlight each substituted variable so users see where their values go.
    QString html = m_serverList[index].url.toHtmlEscaped();
    for (const ServerVariable &variable : m_serverList[index].variables) {
        const QString placeholder = QStringLiteral("{%1}").arg(variable.name).toHtmlEscaped();
        html.replace(placeholder, QStringLiteral("<span style=\"background:%1;color:%2\" title=\"{%3}\">%4</span>")
                                      .arg(cssColor(toneBackground(Tone::Warning, palette())),
                                           cssColor(toneBackgroundText(Tone::Warning, palette())),
                                           variable.name.toHtmlEscaped(), valueOf(variable).toHtmlEscaped()));
    }
    // Environment variables ({{name}}) are filled in when sending: mark them apart.
    static const QRegularExpression environmentVariable(QStringLiteral(R"((\{\{\s*[^{}\s<>]+\s*\}\}))"));
    html.replace(environmentVariable, QStringLiteral("<span style=\"background:%1;color:%2\" title=\"%3\">\\1</span>")
                                          .arg(cssColor(toneBackground(Tone::Info, palette())),
                                               cssColor(toneBackgroundText(Tone::Info, palette())), tr("environment variable")));
    m_url->setText(QStringLiteral("<code>%1</code>").arg(html));
    m_url->show();
}

} // namespace portolan::gui
