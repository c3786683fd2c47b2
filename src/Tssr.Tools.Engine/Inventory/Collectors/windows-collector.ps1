# placeholder: the Windows collector comes in a later layer
