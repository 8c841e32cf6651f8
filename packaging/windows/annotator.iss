; Inno Setup 6 script for Annotator: a per-user install that needs no admin rights.
;
;   iscc /DAppVersion=0.1.0 packaging\windows\annotator.iss
;
; Packs dist\Annotator\ (the PyInstaller onedir bundle) into
; dist\Annotator-<version>-windows-x64-setup.exe. packaging/build.sh passes the
; version from pyproject.toml; see packaging/README.md.
;
; The AppId below must never change: it is how an upgrade finds the installed
; copy. Projects, backups, logs and settings live in %LOCALAPPDATA%\Annotator
; (outside {app}), so neither an upgrade nor the uninstaller touches them.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z packaging\windows\annotator.iss
#endif
#define AppName "Annotator"
#define AppExe "Annotator.exe"
#define ProgId "Annotator.Project"
#define ProjectExt ".annotator"
#define Root "..\.."

[Setup]
AppId={{1AE8AF55-DB5C-43B7-88CF-C6D523F4FC77}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName} contributors
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
; Per user, no UAC prompt: {autopf} is %LOCALAPPDATA%\Programs, registry keys go to HKCU.
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
ChangesAssociations=yes
; An upgrade closes a running Annotator first (its project is saved on every change).
CloseApplications=yes
RestartApplications=no
SetupIconFile={#Root}\resources\icons\annotator.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
OutputDir={#Root}\dist
OutputBaseFilename={#AppName}-{#AppVersion}-windows-x64-setup
MinVersion=10.0

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the bundle's libraries wholesale, so none of an older version stays behind.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#Root}\dist\Annotator\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; Double-clicking a .annotator file opens it (HKA is HKCU for a per-user install).
Root: HKA; Subkey: "Software\Classes\{#ProjectExt}\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue uninsdeletekeyifempty
Root: HKA; Subkey: "Software\Classes\{#ProjectExt}"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletevalue uninsdeletekeyifempty
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "Annotator project"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: "{#ProjectExt}"; ValueData: ""; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete]: the uninstaller removes only what it installed ({app},
; the shortcuts and the keys above). The user's projects, wherever they are, and
; %LOCALAPPDATA%\Annotator (sample project, backups, logs, settings) are left alone.
