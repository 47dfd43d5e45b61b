from bekasi_field.cli import main

raise SystemExit(main())
