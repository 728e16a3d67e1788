#pragma once

#include "appsettings.h"

#include <QDialog>

class QComboBox;
class QFontComboBox;
class QLineEdit;
class QListWidget;
class QSpinBox;

namespace portolan::gui {

// Edits AppSettings: network proxy, extra CA certificates, theme and fonts.
class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    explicit SettingsDialog(const AppSettings &settings, QWidget *parent = nullptr);

    AppSettings settings() const;

private:
    void updateProxyFields();

    AppSettings m_original;
    QComboBox *m_proxy;           // owned by this, like every widget below
    QLineEdit *m_proxyHost;
    QSpinBox *m_proxyPort;
    QSpinBox *m_maxDecodedBody;
    QListWidget *m_caFiles;
    QLineEdit *m_clientCertificate;
    QLineEdit *m_clientKey;
    QComboBox *m_theme;
    QFontComboBox *m_interfaceFont;
    QSpinBox *m_interfaceSize;
    QFontComboBox *m_monospaceFont;
    QSpinBox *m_monospaceSize;
};

} // namespace portolan::gui
