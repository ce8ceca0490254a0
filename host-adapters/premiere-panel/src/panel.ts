// Entry of the UXP panel (dist/panel/index.js): the shared UI over the Premiere binding.
import { premiereHost } from "./host/premiere";
import { startApp } from "./ui/app";

startApp(document.getElementById("app")!, premiereHost());
