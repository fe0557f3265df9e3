; Included by electron-builder's NSIS script (electron-builder.yml: nsis.include).
; Uninstall: always remove the login item the app registered (Electron writes it under the app's
; AppUserModelId, main/desktop/desktop.ts), and ask whether to remove the app's data too.
; Nothing is asked or removed when the uninstaller runs as part of an update.

!macro customUnInstall
  ; The login item: Electron's app.setLoginItemSettings writes HKCU Run (and Windows keeps its
  ; enabled/disabled state under StartupApproved).
  DeleteRegValue HKCU "Software\Microsoft\Windows\CurrentVersion\Run" "app.gameclips.companion"
  DeleteRegValue HKCU "Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run" "app.gameclips.companion"
  ${ifNot} ${isUpdated}
    MessageBox MB_YESNO|MB_ICONQUESTION|MB_DEFBUTTON2 \
      "Also remove GameClips Companion's data from this computer?$\r$\n$\r$\nThis deletes the list of your clips, your settings, your sign-in and the logs (your video files are not touched). Choose No to keep them for a later install." \
      /SD IDNO IDNO keepData
      RMDir /r "$APPDATA\GameClips Companion"
      RMDir /r "$LOCALAPPDATA\GameClips Companion"
    keepData:
  ${endIf}
!macroend
