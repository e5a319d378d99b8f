// The bundler inlines .py files as text (the runtime bootstrap ships inside dist/).
declare module '*.py' {
  const text: string;
  export default text;
}
