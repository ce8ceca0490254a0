// Entry of the browser page (dist/web/app.js).
import { browserHost } from "./host/browser";
import { startApp } from "./ui/app";

startApp(document.getElementById("app")!, browserHost());
