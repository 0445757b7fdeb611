from equity.cli import main

raise SystemExit(main())
