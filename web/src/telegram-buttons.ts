import { useEffect, useRef } from 'react';
import { onTelegramEvent, setBackButton, setMainButton } from './telegram.ts';

// Telegram's own BackButton and MainButton as React hooks. Outside Telegram the web events go
// nowhere (postEvent is a no-op), so components call these unconditionally.

/** Shows Telegram's BackButton while `visible`; a press calls the latest `onBack`. */
export function useBackButton(visible: boolean, onBack: () => void): void {
  const latest = useRef(onBack);
  latest.current = onBack;
  useEffect(() => {
    setBackButton(visible);
    if (!visible) return;
    return onTelegramEvent('back_button_pressed', () => latest.current());
  }, [visible]);
}

/** Shows Telegram's MainButton labelled `text` while mounted; a press calls the latest `onPress`. */
export function useMainButton(text: string, busy: boolean, onPress: () => void): void {
  const latest = useRef(onPress);
  latest.current = onPress;
  useEffect(() => {
    setMainButton({ text, busy });
  }, [text, busy]);
  useEffect(() => {
    const stop = onTelegramEvent('main_button_pressed', () => latest.current());
    return () => {
      stop();
      setMainButton(null);
    };
  }, []);
}
